"""Load and validate the indicator and rule files; refuse anything that names a protected field.

Ethnicity, nationality, religion and immigration status are recorded for statistics only
(SYSTEM.md): a rule or indicator that mentions one, anywhere, stops the platform at start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from safeguard.domain.records import PROTECTED_FIELDS
from safeguard.domain.rules_file import parse_yaml_mapping, reading
from safeguard.risk.indicators import Indicator

PROTECTED_WORDS = frozenset(PROTECTED_FIELDS | {"religion", "ethnic", "immigration", "faith"})
_WORD = re.compile(r"[a-z]+")


class RiskRulesError(ValueError):
    """A rule or indicator file is invalid; the message says where and why."""


@dataclass(frozen=True)
class Rule:
    """Indicators combined within a window: weights, a threshold and how many agencies."""

    code: str
    description: str
    window_days: int
    threshold: int
    min_agencies: int
    weights: dict[str, int]


@dataclass(frozen=True)
class RiskRules:
    indicators: tuple[Indicator, ...]
    rules: tuple[Rule, ...]
    deadline_hours: int
    outcomes: dict[str, str]


def _protected_in(value: Any, path: str) -> str | None:
    """The first place (dotted path) where a protected field is named, or None."""
    if isinstance(value, dict):
        for k, v in value.items():
            hit = _protected_in(k, f"{path}.{k}") or _protected_in(v, f"{path}.{k}")
            if hit:
                return hit
        return None
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            hit = _protected_in(v, f"{path}[{i}]")
            if hit:
                return hit
        return None
    text = str(value).lower()
    flat = text.replace("_", " ")
    for name in PROTECTED_WORDS:
        if name in text or name.replace("_", " ") in flat:
            return path
    return None


def _refuse_protected(entries: list[Any], where: str) -> None:
    for i, entry in enumerate(entries):
        hit = _protected_in(entry, f"{where}[{i}]")
        if hit:
            code = entry.get("code", "?") if isinstance(entry, dict) else "?"
            raise RiskRulesError(
                f"{where} entry {code!r} names a protected field at {hit}: risk rules may not "
                "read ethnicity, nationality, religion or immigration status. Remove it."
            )


def _indicator(raw: dict[str, Any]) -> Indicator:
    try:
        return Indicator(
            code=str(raw["code"]),
            description=str(raw["description"]),
            source=str(raw["source"]),
            event_types=frozenset(raw["event_types"]),
            roles=frozenset(raw["roles"]),
            details={k: frozenset(map(str, v)) for k, v in (raw.get("details") or {}).items()},
            max_age=raw.get("max_age"),
            min_count=int(raw.get("min_count", 1)),
            window_days=int(raw.get("window_days", 0)),
            with_suspect=bool(raw.get("with_suspect", False)),
            with_suspect_object=bool(raw.get("with_suspect_object", False)),
        )
    except KeyError as e:
        raise RiskRulesError(f"indicator {raw.get('code', '?')!r} lacks {e.args[0]!r}") from e


def parse_rules(indicators_doc: dict[str, Any], rules_doc: dict[str, Any]) -> RiskRules:
    """Validate both documents (already parsed YAML) into :class:`RiskRules`."""
    raw_inds = list(indicators_doc.get("indicators") or [])
    raw_rules = list(rules_doc.get("rules") or [])
    _refuse_protected(raw_inds, "indicators")
    _refuse_protected(raw_rules, "rules")
    inds = tuple(_indicator(r) for r in raw_inds)
    known = {i.code for i in inds}
    if len(known) != len(inds):
        raise RiskRulesError("indicator codes must be unique")
    rules: list[Rule] = []
    for raw in raw_rules:
        code = raw.get("code", "?")
        weights = {str(k): int(v) for k, v in (raw.get("weights") or {}).items()}
        unknown = sorted(set(weights) - known)
        if unknown:
            raise RiskRulesError(f"rule {code!r} weighs unknown indicators {unknown}")
        if not weights or "threshold" not in raw or "window_days" not in raw:
            raise RiskRulesError(f"rule {code!r} needs weights, threshold and window_days")
        rules.append(
            Rule(
                str(code),
                str(raw.get("description", "")),
                int(raw["window_days"]),
                int(raw["threshold"]),
                int(raw.get("min_agencies", 1)),
                weights,
            )
        )
    outcomes = {str(k): str(v) for k, v in (rules_doc.get("outcomes") or {}).items()}
    if not outcomes:
        raise RiskRulesError("risk_rules.yaml: outcomes (the decisions a MASH may record) is empty")
    return RiskRules(inds, tuple(rules), int(rules_doc.get("deadline_hours", 24)), outcomes)


def _read_text(path: Path | None, name: str) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8")
    return resources.files("safeguard.data").joinpath(name).read_text(encoding="utf-8")


def _read(path: Path | None, name: str) -> dict[str, Any]:
    """One file's top-level mapping."""
    return parse_yaml_mapping(_read_text(path, name), str(path or name), RiskRulesError)


def parse_rules_text(
    indicators_text: str,
    rules_text: str,
    names: tuple[str, str] = ("data/risk_indicators.yaml", "data/risk_rules.yaml"),
) -> RiskRules:
    """Both files' text into :class:`RiskRules`; any fault is one ``RiskRulesError``."""
    indicators = parse_yaml_mapping(indicators_text, names[0], RiskRulesError)
    rules = parse_yaml_mapping(rules_text, names[1], RiskRulesError)
    with reading(" / ".join(names), RiskRulesError):
        return parse_rules(indicators, rules)


def load_risk_rules(
    indicators_path: Path | None = None, rules_path: Path | None = None
) -> RiskRules:
    """Load ``data/risk_indicators.yaml`` and ``data/risk_rules.yaml`` (or the given files)."""
    return parse_rules_text(
        _read_text(indicators_path, "risk_indicators.yaml"),
        _read_text(rules_path, "risk_rules.yaml"),
        (
            str(indicators_path or "data/risk_indicators.yaml"),
            str(rules_path or "data/risk_rules.yaml"),
        ),
    )
