"""A first name only one record carries is a recording error, not a twin (``lone_name_pairs``).

FEBRL-style duplicates replace a first name outright; twins each have their own records. The
twin guard lets the first through and keeps the second apart, and with agencies known it never
releases two records of one register or two lone records in two agencies.
"""

from __future__ import annotations

import pandas as pd
import pytest

from safeguard.identity.clustering import (
    automatic_cannot_links,
    must_differ,
    namesake_mask,
    namesake_only,
    register_namesakes,
)

_TWIN_LIKE = {"gamma_dob": 4, "gamma_surname": 7, "gamma_home": 6, "gamma_nhs_number": -1}


def pair(left: str, right: str, first: tuple[str, str], level: int, p: float) -> dict[str, object]:
    return {
        "record_id_l": left,
        "record_id_r": right,
        "match_probability": p,
        **_TWIN_LIKE,
        "gamma_first_name": level,
        "first_name_l": first[0],
        "first_name_r": first[1],
        "surname_l": "ryan",
        "surname_r": "ryan",
        "first_name_dm_l": None,
        "first_name_dm_r": None,
    }


def guarded(rows: list[dict[str, object]], lone: bool = True) -> set[frozenset[str]]:
    frame = pd.DataFrame(rows)
    cut = automatic_cannot_links(frame, True, False, lone_names_from=0.8 if lone else None)
    return {frozenset(p) for p in cut}


def test_a_substituted_first_name_on_a_sourceless_duplicate_is_released() -> None:
    rows = [pair("rec-1-org", "rec-1-dup-0", ("amelia", "edward"), 0, 0.999)]
    assert guarded(rows) == set()
    assert guarded(rows, lone=False) == {frozenset(("rec-1-org", "rec-1-dup-0"))}


def test_twins_whose_names_other_records_carry_stay_apart() -> None:
    rows = [
        pair("HEALTH/1", "EDU/1", ("isabella", "ava"), 0, 0.99),
        pair("HEALTH/1", "EDU/2", ("isabella", "isabella"), 8, 0.99),
        pair("EDU/1", "HEALTH/2", ("ava", "ava"), 8, 0.99),
    ]
    assert frozenset(("HEALTH/1", "EDU/1")) in guarded(rows)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("EDU/1", "HEALTH/1"),  # twins each known to one agency: both names lone
        ("HEALTH/1", "HEALTH/2"),  # one register never holds one child under two names
    ],
)
def test_with_agencies_known_lone_pairs_stay_apart(left: str, right: str) -> None:
    assert guarded([pair(left, right, ("isabella", "ava"), 0, 0.99)]) == {frozenset((left, right))}


def test_with_agencies_known_one_lone_name_beside_a_corroborated_one_is_released() -> None:
    rows = [
        pair("POLICE/9", "HEALTH/1", ("edward", "amelia"), 0, 0.99),
        pair("HEALTH/1", "EDU/1", ("amelia", "amelia"), 8, 0.99),
    ]
    assert guarded(rows) == set()


def test_a_corroboration_below_the_threshold_does_not_count() -> None:
    rows = [
        pair("POLICE/9", "HEALTH/1", ("edward", "amelia"), 0, 0.99),
        pair("POLICE/9", "EDU/1", ("edward", "edward"), 8, 0.5),
        pair("HEALTH/1", "EDU/2", ("amelia", "amelia"), 8, 0.99),
    ]
    assert guarded(rows) == set()  # edward stays lone at 0.8


def test_millie_is_amelia_but_molly_is_her_twin() -> None:
    # Police's "Millie Hannah Hooper" is social care's "Amelia Hannah Hooper" (Millie is a
    # published short form of Amelia); Molly, same birthday and home, is her twin sister.
    base = pair("POLICE/1", "CSC/1", ("millie", "amelia"), 5, 0.99)
    base.update(middle_name_l="hannah", middle_name_r="hannah", sex_l="F", sex_r="F")
    assert guarded([base], lone=False) == set()
    assert not must_differ(base, True, False)
    twin = dict(base, first_name_r="molly", gamma_first_name=4)
    twin.update(first_name_dm_l="ML", first_name_dm_r="ML")
    assert guarded([twin], lone=False) == {frozenset(("POLICE/1", "CSC/1"))}
    assert must_differ(twin, True, False)


def test_a_lone_twin_whose_register_holds_her_sister_stays_apart() -> None:
    # Baby twins: Maryam known to social care and health, Rabia to health only. Health's own
    # register holds both, so Rabia's lone record is a child, not a slip of Maryam's.
    rows = [
        pair("CSC/1", "HEALTH/2", ("maryam", "rabia"), 0, 0.99),
        pair("HEALTH/1", "HEALTH/2", ("maryam", "rabia"), 0, 0.99),
        pair("CSC/1", "HEALTH/1", ("maryam", "maryam"), 8, 0.99),
    ]
    assert frozenset(("CSC/1", "HEALTH/2")) in guarded(rows)


def test_a_lone_record_between_two_children_of_one_birthday_stays_apart() -> None:
    # Police's "Mo Yusuf" sits beside Faysal and Muhammad, twins: which one is he?
    rows = [
        pair("POLICE/1", "EDU/1", ("mo", "faysal"), 0, 0.99),
        pair("POLICE/1", "HEALTH/2", ("mo", "muhammad"), 0, 0.99),
        pair("EDU/1", "HEALTH/1", ("faysal", "faysal"), 8, 0.99),
        pair("HEALTH/2", "EDU/2", ("muhammad", "muhammad"), 8, 0.99),
    ]
    assert {frozenset(("POLICE/1", "EDU/1")), frozenset(("POLICE/1", "HEALTH/2"))} <= guarded(rows)


def test_one_register_holding_two_near_names_holds_twins() -> None:
    # The school enrolled Isabelle and Isabella Reynolds, same birthday and home: two pupils.
    row = pair("EDU-E08000025/1", "EDU-E08000025/2", ("isabelle", "isabella"), 5, 1.0)
    assert guarded([row], lone=False) == {frozenset(("EDU-E08000025/1", "EDU-E08000025/2"))}
    assert must_differ(row, True, False)
    across = pair("EDU-E08000025/1", "HEALTH-E08000025/2", ("isabelle", "isabella"), 5, 1.0)
    assert guarded([across], lone=False) == set()  # two agencies: a spelling, one child
    assert not must_differ(across, True, False)


def _namesakes(left: str, right: str, postcodes: tuple[str, str]) -> pd.DataFrame:
    row = pair(left, right, ("jean", "jean"), 8, 0.9999)
    row.update(gamma_home=0, gamma_middle_name=-1, postcode_l=postcodes[0], postcode_r=postcodes[1])
    return pd.DataFrame([row])


def test_namesakes_in_one_register_are_kept_apart_and_queued() -> None:
    one = _namesakes("EDU-E08000035/1", "EDU-E08000035/2", ("LS9 3LZ", "LS9 6GQ"))
    assert namesake_mask(one).tolist() == [True]
    assert register_namesakes(one) == [("EDU-E08000035/1", "EDU-E08000035/2")]
    assert namesake_only(one.to_dict("records")[0])
    two = _namesakes("EDU-E08000035/1", "HEALTH-E08000035/2", ("LS9 3LZ", "LS9 6GQ"))
    assert namesake_mask(two).tolist() == [False]  # same town, two agencies: a move
    assert register_namesakes(two) == []
    far = _namesakes("EDU-E08000035/1", "HEALTH-E08000025/2", ("LS9 3LZ", "B10 2TA"))
    assert namesake_mask(far).tolist() == [True] and register_namesakes(far) == []
