"""The namesake guard: a pair that only name and date of birth support goes to review, never
straight into one child; a moved child with any other agreement still links."""

from __future__ import annotations

import pandas as pd
import pytest

from safeguard.identity.clustering import namesake_mask, namesake_only, postcode_area

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
