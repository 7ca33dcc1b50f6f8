"""The namesake guard: a pair that only name and date of birth support goes to review, never
straight into one child; a moved child with any other agreement still links."""

from __future__ import annotations

import pandas as pd
import pytest

from safeguard.identity.clustering import (
    constrained_clusters,
    namesake_holds,
    namesake_mask,
    namesake_only,
    postcode_area,
)

NAMESAKES = {
    "record_id_l": "a",
    "record_id_r": "b",
    "gamma_home": 0,
    "gamma_nhs_number": -1,
    "gamma_middle_name": -1,
    "gamma_dob": 5,
    "postcode_l": "S60 1AA",
    "postcode_r": "OL11 2BB",
}


@pytest.mark.parametrize(
    ("change", "guarded"),
    [
        ({}, True),
        ({"postcode_r": "S65 4QQ"}, False),  # same town: a move, not a namesake
        ({"gamma_nhs_number": 1}, False),  # the same NHS number says one child
        ({"gamma_middle_name": 2}, False),  # the same middle name is more than name and dob
        ({"gamma_home": 1}, False),  # same address, postcode differs
        ({"gamma_home": 2}, False),  # same district
        ({"postcode_r": None}, False),  # nothing says the homes conflict
        ({"postcode_l": "4011", "postcode_r": "2776"}, True),  # other countries' codes too
        # One school's register with two addresses in one district holds two children.
        ({"gamma_home": 2, "record_id_l": "EDU-X/1", "record_id_r": "EDU-X/2"}, True),
        ({"gamma_home": 5, "record_id_l": "EDU-X/1", "record_id_r": "EDU-X/2"}, False),
    ],
)
def test_only_name_and_date_of_birth_in_different_towns_is_guarded(
    change: dict[str, object], guarded: bool
) -> None:
    pair = {**NAMESAKES, **change}
    assert namesake_only(pair) is guarded
    assert bool(namesake_mask(pd.DataFrame([pair])).iloc[0]) is guarded


def test_postcode_area_is_the_leading_letters_or_first_digit() -> None:
    assert [postcode_area(p) for p in ("S60 1AA", "OL11 2BB", "M1 1AE", "4011", "", None)] == [
        "S",
        "OL",
        "M",
        "4",
        None,
        None,
    ]


def test_a_record_without_a_home_does_not_chain_two_namesakes() -> None:
    # Found on a held-out region: a GP record with no address matched both Isla Morgans on
    # name and date of birth alone and pulled the two children into one.
    rows = [
        {
            **NAMESAKES,
            "record_id_l": "EDU-A/1",
            "record_id_r": "EDU-B/1",
            "match_probability": 0.999,
        },
        {
            **NAMESAKES,
            "record_id_l": "GP-A/1",
            "record_id_r": "EDU-A/1",
            "gamma_home": -1,
            "postcode_l": None,
            "match_probability": 0.9999,
        },
        {
            **NAMESAKES,
            "record_id_l": "GP-A/1",
            "record_id_r": "EDU-B/1",
            "gamma_home": -1,
            "postcode_l": None,
            "match_probability": 0.9999,
        },
    ]
    pairs = pd.DataFrame(rows)
    mask = namesake_mask(pairs)
    assert mask.tolist() == [True, False, False]
    ids = ["EDU-A/1", "EDU-B/1", "GP-A/1"]
    merging = pairs.loc[~mask]
    chained = constrained_clusters(ids, merging, 0.8, [], [])
    assert len(set(chained.values())) == 1  # what happened before
    held = constrained_clusters(ids, merging, 0.8, [], namesake_holds(pairs, mask))
    assert held["EDU-A/1"] != held["EDU-B/1"]
    assert held["GP-A/1"] in (held["EDU-A/1"], held["EDU-B/1"])
