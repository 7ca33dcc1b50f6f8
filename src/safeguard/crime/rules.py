"""The crime rules as data (data/crime_rules.yaml, data/crime_outcomes.csv), validated on load.

Offence groups, outcome types, typologies, flags, the group-based window, the referral rule and
the disclosure threshold are settings with their source named, never constants in code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from safeguard.domain.codes import CodeLists, load_code_lists, read_data_csv
from safeguard.domain.rules_file import parse_yaml_mapping, reading


class CrimeRulesError(ValueError):
    """The packaged crime rules are malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Outcome:
    code: str
    ho_type: str
    description: str
    group: str


@dataclass(frozen=True)
class ReferralRule:
    name: str
    description: str
    offence_child_victim: frozenset[str]
    outcomes: frozenset[str]
    immigration_statuses: frozenset[str]


@dataclass(frozen=True)
class Disclosure:
    threshold: int
    marker: str
    rate_decimals: int
    percent_decimals: int


@dataclass(frozen=True)
class CrimeRules:
    csae_flags: frozenset[str]
    flags: tuple[str, ...]
    typologies: dict[str, str]
    offence_group: dict[str, str]
    outcomes: dict[str, Outcome]
    episode_window_days: int
    min_suspects: int
    disclosure: Disclosure
    reference_group: str
    z: float
    per: int
    warning_z: float
    alarm_z: float
    referral: ReferralRule

    def offence_group_of(self, code: str | None) -> str:
        return self.offence_group.get(code or "", "Other or not recorded")


def _need(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise CrimeRulesError(f"crime_rules.yaml: {where} is missing '{key}'")
    value = data[key]
    if kind is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise CrimeRulesError(
            f"crime_rules.yaml: {where}.{key} must be of type {kind.__name__}, not {value!r}"
        )
    return value


def parse_rules(
    data: dict[str, Any], codes: CodeLists, outcome_rows: list[dict[str, str]]
) -> CrimeRules:
    """Build and cross-check the rules; every problem is one sentence naming where it is."""
    outcomes = {
        r["code"]: Outcome(r["code"], r["ho_type"], r["description"], r["group"])
        for r in outcome_rows
    }
    groups = _need(data, "offence_groups", dict, "the file")
    offence_group: dict[str, str] = {}
    for group, offences in groups.items():
        for code in offences:
            code = str(code)
            if code not in codes.offences:
                raise CrimeRulesError(
                    f"crime_rules.yaml: offence_groups.{group} names {code}, which is not in "
                    "data/offences.csv"
                )
            if code in offence_group:
                raise CrimeRulesError(f"crime_rules.yaml: offence {code} is in two groups")
            offence_group[code] = str(group)
    gb = _need(data, "group_based", dict, "the file")
    sdc = _need(data, "disclosure", dict, "the file")
    dis = _need(data, "disproportionality", dict, "the file")
    div = _need(data, "divergence", dict, "the file")
    ref = _need(data, "referral", dict, "the file")
    rule = ReferralRule(
        name=_need(ref, "name", str, "referral"),
        description=_need(ref, "description", str, "referral"),
        offence_child_victim=frozenset(
            str(v) for v in _need(ref, "offence_child_victim", list, "referral")
        ),
        outcomes=frozenset(_need(ref, "outcomes", list, "referral")),
        immigration_statuses=frozenset(_need(ref, "immigration_statuses", list, "referral")),
    )
    for outcome in rule.outcomes - set(outcomes):
        raise CrimeRulesError(
            f"crime_rules.yaml: referral outcome {outcome!r} is not in crime_outcomes.csv"
        )
    for status in rule.immigration_statuses - set(codes.immigration_status.codes()):
        raise CrimeRulesError(
            f"crime_rules.yaml: referral status {status!r} is not in immigration_status.csv"
        )
    threshold = _need(sdc, "threshold", int, "disclosure")
    if threshold < 1:
        raise CrimeRulesError("crime_rules.yaml: disclosure.threshold must be at least 1")
    window = _need(gb, "episode_window_days", int, "group_based")
    if window < 0:
        raise CrimeRulesError("crime_rules.yaml: group_based.episode_window_days must be >= 0")
    min_suspects = _need(gb, "min_suspects", int, "group_based")
    if min_suspects < 2:
        raise CrimeRulesError(
            "crime_rules.yaml: group_based.min_suspects must be at least 2 (a group is two or "
            "more people)"
        )
    reference = _need(dis, "reference_group", str, "disproportionality")
    if reference not in codes.ethnicity_police or reference == "NS":
        raise CrimeRulesError(
            f"crime_rules.yaml: reference_group {reference!r} is not a police 18+1 code"
        )
    return CrimeRules(
        csae_flags=frozenset(_need(data, "csae_flags", list, "the file")),
        flags=tuple(_need(data, "flags", list, "the file")),
        typologies={str(k): str(v) for k, v in _need(data, "typologies", dict, "the file").items()},
        offence_group=offence_group,
        outcomes=outcomes,
        episode_window_days=window,
        min_suspects=min_suspects,
        disclosure=Disclosure(
            threshold=threshold,
            marker=_need(sdc, "marker", str, "disclosure"),
            rate_decimals=_need(sdc, "rate_decimals", int, "disclosure"),
            percent_decimals=_need(sdc, "percent_decimals", int, "disclosure"),
        ),
        reference_group=reference,
        z=_need(dis, "z", float, "disproportionality"),
        per=_need(dis, "per", int, "disproportionality"),
        warning_z=_need(div, "warning_z", float, "divergence"),
        alarm_z=_need(div, "alarm_z", float, "divergence"),
        referral=rule,
    )


@lru_cache(maxsize=1)
def load_crime_rules() -> CrimeRules:
    """Load the packaged rules once (at start-up, from ``bootstrap``)."""
    text = resources.files("safeguard.data").joinpath("crime_rules.yaml").read_text("utf-8")
    return parse_rules_text(text, load_code_lists())


def parse_rules_text(text: str, codes: CodeLists) -> CrimeRules:
    """The rules file's text into :class:`CrimeRules`; any fault is one ``CrimeRulesError``."""
    data = parse_yaml_mapping(text, "data/crime_rules.yaml", CrimeRulesError)
    with reading("data/crime_rules.yaml", CrimeRulesError):
        return parse_rules(data, codes, read_data_csv("crime_outcomes.csv"))
