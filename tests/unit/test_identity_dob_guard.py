"""The date-of-birth guard keeps a parent's record out of a child's: it holds where one of the
two people is a child or young adult, and leaves two older adults to the model's weights.

Also the comparison levels that find FEBRL-style duplicates without a date: names swapped with
a slip in one of them, and one address under two postcodes.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from safeguard.analytics.linkage_model import (
    LinkageSettingsError,
    comparisons,
    load_linkage_settings,
    parse_linkage_settings,
)
from safeguard.analytics.realtime_scorer import ConditionCompiler
from safeguard.identity.clustering import automatic_cannot_links, dob_guard_since, must_differ

TODAY = date(2026, 12, 3)
SINCE = dob_guard_since(25, TODAY)


def same_name_and_home(dob_l: str, dob_r: str) -> dict[str, object]:
    """Father and son both "John Smith" at one address, or one man with a mistyped date."""
    return {
        "record_id_l": "POLICE/1",
        "record_id_r": "CSC/1",
        "match_probability": 0.99,
        "gamma_first_name": 8,
        "gamma_surname": 7,
        "gamma_home": 6,
        "gamma_dob": 0,
        "gamma_nhs_number": -1,
        "dob_l": dob_l,
        "dob_r": dob_r,
        "first_name_l": "john",
        "first_name_r": "john",
        "surname_l": "smith",
        "surname_r": "smith",
        "first_name_dm_l": "JN",
        "first_name_dm_r": "JN",
    }


def guarded(pair: dict[str, object], since: str | None) -> bool:
    frame = automatic_cannot_links(
        pd.DataFrame([pair]), False, False, dob_guard=True, dob_guard_since=since
    )
    one = must_differ(pair, False, False, dob_guard=True, dob_guard_since=since)
    assert bool(frame) is one  # the batch and real-time paths give one answer
    return one


def test_the_guard_starts_at_the_25th_birthday_before_today() -> None:
    assert SINCE == "2001-12-03"
    assert dob_guard_since(25, date(2028, 2, 29)) == "2003-02-28"
    assert dob_guard_since(None, TODAY) is None


@pytest.mark.parametrize(
    ("dob_l", "dob_r", "kept_apart"),
    [
        ("1978-03-02", "2011-07-09", True),  # father and son: the son is a child
        ("1978-03-02", "2002-07-09", True),  # a care leaver of 24
        ("1978-03-02", "2012-95-18", True),  # not a date, but a child's year: still guarded
        ("1950-03-02", "1975-07-09", False),  # two older adults: the model weighs it
        ("1950-03-02", "1950-09-02", False),  # and the same day and month is a slip anyway
    ],
)
def test_a_date_no_slip_explains_separates_only_where_someone_is_young(
    dob_l: str, dob_r: str, kept_apart: bool
) -> None:
    assert guarded(same_name_and_home(dob_l, dob_r), SINCE) is kept_apart


def test_day_and_month_swapped_is_never_two_people() -> None:
    pair = {**same_name_and_home("2011-07-09", "2011-09-07"), "gamma_dob": 3}
    assert guarded(pair, SINCE) is False


def test_without_an_age_the_guard_holds_for_everyone() -> None:
    assert guarded(same_name_and_home("1950-03-02", "1975-07-09"), None) is True


def test_the_shipped_settings_guard_children_and_care_leavers() -> None:
    s = load_linkage_settings()
    assert s.dob_guard and s.dob_guard_under_age == 25


def test_a_bad_age_in_the_settings_is_one_clear_error() -> None:
    from importlib import resources

    text = resources.files("safeguard.data").joinpath("linkage.yaml").read_text("utf-8")
    with pytest.raises(LinkageSettingsError, match="dob_guard_under_age"):
        parse_linkage_settings(text.replace("dob_guard_under_age: 25", "dob_guard_under_age: x"))


def level(comparison: str, label: str) -> object:
    """One comparison level's SQL, compiled as the real-time scorer runs it (a test elsewhere
    holds the compiled levels equal to Splink's)."""
    columns = ["first_name", "surname", "postcode", "postcode_outward", "address"]
    for c in comparisons(load_linkage_settings()):
        spec = c.get_comparison("duckdb").as_dict()
        if spec["output_column_name"] != comparison:
            continue
        for lvl in spec["comparison_levels"]:
            if lvl.get("label_for_charts") == label:
                return ConditionCompiler(columns).compile(lvl["sql_condition"])
    raise AssertionError(f"no level {label!r} in {comparison}")


def test_names_swapped_with_a_slip_are_one_level_not_no_agreement() -> None:
    swapped = level("first_name", "first name and surname swapped, one mistyped")
    row = lambda first, surname: (first, surname, None, None, None)  # noqa: E731
    assert swapped(row("whiite", "harriet"), row("harriet", "white")) is True
    assert swapped(row("harriet", "white"), row("white", "harriet")) is True
    assert swapped(row("harriet", "white"), row("harriet", "white")) is False
    assert swapped(row("amelia", "white"), row("white", "harriet")) is False


def test_one_address_under_two_postcodes_is_its_own_level() -> None:
    same_address = level("home", "same address, postcode differs")
    at = lambda pc, addr: (None, None, pc, pc, addr)  # noqa: E731
    assert same_address(at("2272", "12 herschell circuit"), at("2227", "12 herschell circuit"))
    assert not same_address(at("2272", "12 herschell circuit"), at("2227", "4 bayly place"))
