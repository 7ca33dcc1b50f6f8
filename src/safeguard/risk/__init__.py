"""Risk: exploitation indicators combined across agencies, rules, alerts and accountability."""

from safeguard.risk.indicators import EventView, Indicator, Occurrence, SuspectContext, detect
from safeguard.risk.rules import RiskRules, RiskRulesError, Rule, load_risk_rules, parse_rules
from safeguard.risk.scoring import Assessment, RuleHit, assess

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
    "load_risk_rules",
    "parse_rules",
]
