"""The crime rules file is validated at start-up with errors that name the entry."""

from __future__ import annotations

import copy
import re
from importlib import resources
from typing import Any

import pytest
import yaml

from safeguard.crime.rules import CrimeRulesError, load_crime_rules, parse_rules
from safeguard.domain.codes import load_code_lists, read_data_csv


def packaged() -> dict[str, Any]:
    text = resources.files("safeguard.data").joinpath("crime_rules.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def parse(data: dict[str, Any]) -> None:
    parse_rules(data, load_code_lists(), read_data_csv("crime_outcomes.csv"))


def test_the_packaged_rules_load() -> None:
    rules = load_crime_rules()
    assert rules.disclosure.threshold == 10 and rules.disclosure.marker == "[c]"  # 1-9 withheld
    assert rules.episode_window_days == 90 and rules.reference_group == "W1"
    assert rules.offence_group_of("71") == "Sexual exploitation and trafficking"
    assert rules.outcomes["charged"].ho_type == "1"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("offence_groups", "Sexual assault"), ["99Z"], "names 99Z, which is not in"),
        (("disproportionality", "reference_group"), "ZZ", "is not a police 18+1 code"),
        (("disclosure", "threshold"), 0, "threshold must be at least 1"),
        (("referral", "immigration_statuses"), ["tourist"], "'tourist' is not in"),
        (("group_based", "episode_window_days"), "ninety", "must be of type int"),
        (("group_based", "min_suspects"), 1, "min_suspects must be at least 2"),
    ],
)
def test_bad_entries_are_named(path: tuple[str, str], value: object, message: str) -> None:
    data = copy.deepcopy(packaged())
    data[path[0]][path[1]] = value
    with pytest.raises(CrimeRulesError, match=re.escape(message)):
        parse(data)
