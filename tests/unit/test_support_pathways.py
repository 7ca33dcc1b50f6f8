"""The support pathways file: the packaged one loads; a malformed one is refused in a sentence
naming the file, the entry and the field."""

from __future__ import annotations

import copy

import pytest
import yaml

from safeguard.crime.rules import load_crime_rules
from safeguard.risk.rules import load_risk_rules
from safeguard.support.pathways import (
    PathwaysError,
    check_codes,
    load_pathways,
    parse_pathways,
)


def packaged() -> dict:  # type: ignore[type-arg]
    from importlib import resources

    text = resources.files("safeguard.data").joinpath("support_pathways.yaml").read_text()
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def test_packaged_pathways_load_and_name_their_sources() -> None:
    p = load_pathways()
    assert {s.code for s in p.services} >= {"isva", "camhs", "mhst", "ictg", "return_interview"}
    assert all(len(s.source) > 40 for s in p.services)
    interview = p.service("return_interview")
    assert interview is not None and interview.deadline_hours == 72
    assert interview.repeat == "each_time" and interview.offered_by == "csc"
    check_codes(p, load_risk_rules().outcomes, load_crime_rules().typologies)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["services"][1].update(deadline_hours="soon"),
         "service 'camhs': the field 'deadline_hours' must be a whole number"),
        (lambda d: d["services"][0].update(offered_by="school"),
         "service 'isva': the field 'offered_by' is 'school', not one of"),
        (lambda d: d["services"][2].update(situations=["abducted"]),
         "service 'mhst': the field 'situations' names 'abducted'"),
        (lambda d: d["services"][3].pop("source"),
         "service 'ictg': the field 'source' must be non-empty text"),
        (lambda d: d["services"][4].pop("code"),
         "services entry 5: the field 'code' must be non-empty text"),
        (lambda d: d["services"].append(copy.deepcopy(d["services"][0])),
         "service 'isva': the code is used twice"),
        (lambda d: d.pop("situations"), "the field 'situations' must be a mapping"),
    ],
)  # fmt: skip
def test_a_malformed_entry_is_refused_naming_file_entry_and_field(change, message) -> None:  # type: ignore[no-untyped-def]
    doc = packaged()
    change(doc)
    with pytest.raises(PathwaysError) as err:
        parse_pathways(yaml.safe_dump(doc))
    assert "support_pathways.yaml" in str(err.value)
    assert message in str(err.value)


def test_broken_yaml_is_refused_with_its_line() -> None:
    with pytest.raises(
        PathwaysError, match=r"support_pathways.yaml line 3, column 1: not valid YAML"
    ):
        parse_pathways("source: x\nservices: [\n")


def test_outcomes_the_risk_rules_do_not_define_are_refused() -> None:
    doc = packaged()
    doc["exploitation_outcomes"] = ["exploited"]
    with pytest.raises(PathwaysError, match="exploitation_outcomes.*exploited"):
        check_codes(parse_pathways(yaml.safe_dump(doc)), load_risk_rules().outcomes, [])
