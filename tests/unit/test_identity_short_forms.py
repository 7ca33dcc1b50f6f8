"""English short forms from the published list: model keys, and the twin guard still holds."""

from __future__ import annotations

from importlib import resources

import duckdb
import pandas as pd
import pytest

from safeguard.analytics.standardise import (
    DIMINUTIVES_FILE,
    formal_names_of_short_forms,
    name_keys,
    standardise_one,
    standardise_record,
)
from safeguard.identity.clustering import automatic_cannot_links, must_differ
from tests.standardising import standardised_by_sql


def _share_a_key(a: str, b: str) -> bool:
    keys = name_keys([a, b]).set_index("name")["keys"]
    return bool(set(keys[a]) & set(keys[b]))


@pytest.mark.parametrize(
    ("short", "formal"),
    [
        ("charlie", "charlotte"),
        ("charlie", "charles"),
        ("florrie", "florence"),
        ("alfie", "alfred"),
        ("archie", "archibald"),
        ("ellie", "eleanor"),
        ("lottie", "charlie"),  # two short forms of one name
        ("jay", "jamie"),
    ],
)
def test_english_short_forms_share_a_key(short: str, formal: str) -> None:
    assert _share_a_key(short, formal)


def test_formal_names_sharing_only_a_short_form_stay_different_names() -> None:
    # Charlotte and Charlene are both "Charlie"; James and Jason both "Jay".
    assert not _share_a_key("charlotte", "charlene")
    assert not _share_a_key("james", "jason")
    assert not _share_a_key("eleanor", "elizabeth")


def test_the_list_names_its_source_and_is_read_clean() -> None:
    text = resources.files("safeguard.data").joinpath(DIMINUTIVES_FILE).read_text("utf-8")
    assert text.startswith("# source:") and "caae757f1f91bce2175a49942a6c466846ade50c" in text
    formal = formal_names_of_short_forms()
    assert formal["florrie"] == {"flora", "florence"}
    assert all(name == name.lower() and " " not in name for name in formal)


def test_batch_and_real_time_standardising_give_the_same_keys() -> None:
    records = [
        {"record_id": f"r{i}", "first_name": name, "surname": "Smith", "dob": "2015-03-04"}
        for i, name in enumerate(["Charlie", "Florrie ", "ALFIE", "Archie-Jay", "Mo"])
    ]
    sql = standardised_by_sql(records)
    con = duckdb.connect()
    for record in records:
        python = standardise_record(record)
        assert python == sql[record["record_id"]]
        standardise_one(con, record, "one")
        assert (
            con.execute("SELECT first_name_keys FROM one").fetchall()[0][0]
            == (python["first_name_keys"])
        )
    assert "charlotte" in sql["r0"]["first_name_keys"]
    assert "florence" in sql["r1"]["first_name_keys"]


def _twin_pair(first: tuple[str, str], sex: tuple[str, str]) -> pd.DataFrame:
    """Same date of birth and household, first names at the short-form level (5)."""
    return pd.DataFrame(
        [
            {
                "record_id_l": "t1",
                "record_id_r": "t2",
                "match_probability": 0.97,
                "gamma_dob": 4,
                "gamma_surname": 7,
                "gamma_home": 6,
                "gamma_first_name": 5,
                "first_name_l": first[0],
                "first_name_r": first[1],
                "surname_l": "smith",
                "surname_r": "smith",
                "first_name_dm_l": None,
                "first_name_dm_r": None,
                "sex_l": sex[0],
                "sex_r": sex[1],
            }
        ]
    )


@pytest.mark.parametrize(
    ("first", "sex", "apart"),
    [
        (("charlie", "charlotte"), ("F", "F"), False),  # one girl, recorded by her short form
        (("florrie", "florence"), ("F", "F"), False),
        (("charlie", "charlotte"), ("M", "F"), True),  # boy-and-girl twins
        (("jay", "jamie"), ("M", "M"), True),  # twin boys: two forms of James
        (("lottie", "charlie"), ("F", "F"), True),  # twin girls: two forms of Charlotte
        (("eliza", "ellie"), ("F", "F"), True),
    ],
)
def test_twin_guard_with_short_forms(
    first: tuple[str, str], sex: tuple[str, str], apart: bool
) -> None:
    pair = _twin_pair(first, sex)
    assert (automatic_cannot_links(pair, True, False) == [("t1", "t2")]) is apart
    assert must_differ(pair.to_dict("records")[0], True, False) is apart


def test_english_names_that_sound_alike_are_twins_but_transliterations_are_not() -> None:
    # Millie and Molly Brooks, twin girls, merged at 3x noise while "same double-metaphone key,
    # five letters or more" counted them as one name spelt two ways.
    twins = _twin_pair(("millie", "molly"), ("F", "F")).assign(
        gamma_first_name=4, first_name_dm_l="ML", first_name_dm_r="ML"
    )
    assert automatic_cannot_links(twins, True, False) == [("t1", "t2")]
    assert must_differ(twins.to_dict("records")[0], True, False)
    spelt = twins.assign(
        first_name_l="mohammed", first_name_r="muhammad", first_name_dm_l="MHMT"
    ).assign(first_name_dm_r="MHMT", sex_l="M", sex_r="M")
    assert automatic_cannot_links(spelt, True, False) == []
