"""Risk: exploitation indicators combined across agencies, rules, alerts and accountability."""

from safeguard.risk.indicators import EventView, Indicator, Occurrence, SuspectContext, detect
from safeguard.risk.rules import RiskRules, RiskRulesError, Rule, load_risk_rules, parse_rules
from safeguard.risk.scoring import Assessment, RuleHit, assess

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "Assessment",
    "EventView",
    "Indicator",
    "Occurrence",
    "RiskRules",
    "RiskRulesError",
    "Rule",
    "RuleHit",
    "SuspectContext",
    "assess",
    "detect",
    "escalation",
    "inbox",
    "indicators",
    "load_risk_rules",
    "parse_rules",
    "report",
    "rules",
    "service",
]
