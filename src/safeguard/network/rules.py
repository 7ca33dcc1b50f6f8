"""The network rules and harm weights, loaded from data files and validated at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from safeguard.domain.codes import read_data_csv
from safeguard.domain.records import PROTECTED_FIELDS
from safeguard.domain.rules_file import parse_yaml_mapping, reading

LINK_KINDS = ("co_offending", "shared_victim", "shared_object", "shared_location")


class NetworkRulesError(ValueError):
    """A packaged rule file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class LinkRule:
    weight: float
    window_days: int


@dataclass(frozen=True)
class NetworkRules:
    offender_roles: frozenset[str]
    offender_roles_in_events: dict[str, frozenset[str]]
    victim_roles: frozenset[str]
    links: dict[str, LinkRule]
    max_items_per_kind: int
    hub_limit: int
    min_link_weight: float
    min_members: int
    min_evidence_items: int
    min_sexual_offence_members: int
    leiden_objective: str
    leiden_resolution: float
    leiden_iterations: int
    leiden_seed: int
    half_life_days: float
    intelligence_event_days: float
    harm_days: dict[str, float]


def _need(doc: dict[str, Any], key: str, where: str) -> Any:
    if key not in doc:
        raise NetworkRulesError(f"{where}: missing field {key!r}")
    return doc[key]


def parse_rules(doc: dict[str, Any], harm_days: dict[str, float]) -> NetworkRules:
    """Validate a rules document; every error names the field."""
    where = "network_rules.yaml"
    text = repr(doc)
    named = [f for f in PROTECTED_FIELDS if f in text]
    if named:
        raise NetworkRulesError(f"{where} names protected fields {sorted(named)}")
    links_doc = _need(doc, "links", where)
    unknown = set(links_doc) - set(LINK_KINDS)
    if unknown or set(links_doc) != set(LINK_KINDS):
        raise NetworkRulesError(f"{where}: links must be exactly {', '.join(LINK_KINDS)}")
    links = {k: LinkRule(float(v["weight"]), int(v["window_days"])) for k, v in links_doc.items()}
    group = _need(doc, "group", where)
    leiden = _need(doc, "leiden", where)
    harm = _need(doc, "harm", where)
    return NetworkRules(
        offender_roles=frozenset(_need(doc, "offender_roles", where)),
        offender_roles_in_events={
            role: frozenset(types)
            for role, types in _need(doc, "offender_roles_in_events", where).items()
        },
        victim_roles=frozenset(_need(doc, "victim_roles", where)),
        links=links,
        max_items_per_kind=int(_need(doc, "max_items_per_kind", where)),
        hub_limit=int(_need(doc, "hub_limit", where)),
        min_link_weight=float(_need(doc, "min_link_weight", where)),
        min_members=int(_need(group, "min_members", where)),
        min_evidence_items=int(_need(group, "min_evidence_items", where)),
        min_sexual_offence_members=int(_need(group, "min_sexual_offence_members", where)),
        leiden_objective=_objective(str(_need(leiden, "objective", where))),
        leiden_resolution=float(_need(leiden, "resolution", where)),
        leiden_iterations=int(_need(leiden, "iterations", where)),
        leiden_seed=int(_need(leiden, "seed", where)),
        half_life_days=float(_need(harm, "half_life_days", where)),
        intelligence_event_days=float(_need(harm, "intelligence_event_days", where)),
        harm_days=harm_days,
    )


def _objective(name: str) -> str:
    if name not in ("CPM", "modularity"):
        raise NetworkRulesError("network_rules.yaml: leiden objective must be CPM or modularity")
    return name


@lru_cache(maxsize=1)
def load_rules() -> NetworkRules:
    """The packaged rules (data/network_rules.yaml) and weights (data/harm_weights.csv)."""
    text = resources.files("safeguard.data").joinpath("network_rules.yaml").read_text("utf-8")
    weights = {r["code"]: float(r["days"]) for r in read_data_csv("harm_weights.csv")}
    return parse_rules_text(text, weights)


def parse_rules_text(text: str, harm_days: dict[str, float]) -> NetworkRules:
    """The rules file's text into :class:`NetworkRules`; any fault is one NetworkRulesError."""
    doc = parse_yaml_mapping(text, "data/network_rules.yaml", NetworkRulesError)
    with reading("data/network_rules.yaml", NetworkRulesError):
        return parse_rules(doc, harm_days)
