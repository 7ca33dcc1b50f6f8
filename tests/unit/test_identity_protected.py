"""Ethnicity, nationality, immigration status and religion never reach the linkage model."""

from __future__ import annotations

import json

from safeguard.analytics import linkage_model as model
from safeguard.analytics.standardise import INPUT_COLUMNS, standardise_sql
from safeguard.domain.records import PROTECTED_FIELDS


def assert_no_protected(text: str) -> None:
    lowered = text.lower()
    found = sorted(f for f in PROTECTED_FIELDS | {"religion"} if f in lowered)
    assert not found, f"linkage settings mention protected fields: {found}"


def test_model_settings_never_mention_protected_fields() -> None:
    for creator in (model.project_settings(), model.tutorial_settings()):
        assert_no_protected(json.dumps(creator.get_settings("duckdb").as_dict()))


def test_blocking_and_cleaning_never_read_protected_fields() -> None:
    assert_no_protected(json.dumps(model.PREDICTION_BLOCKING_RULES))
    assert_no_protected(json.dumps(model.TRAINING_BLOCKING_RULES))
    assert_no_protected(json.dumps(model.DETERMINISTIC_RULES))
    assert_no_protected(" ".join(INPUT_COLUMNS) + standardise_sql("records"))


def test_the_checker_would_catch_a_protected_comparison() -> None:
    try:
        assert_no_protected('{"output_column_name": "ethnicity"}')
    except AssertionError:
        return
    raise AssertionError("the protected-field check let ethnicity through")


def test_real_time_rows_never_carry_protected_fields() -> None:
    from safeguard.analytics.standardise import STANDARD_COLUMNS, standardise_record

    assert_no_protected(" ".join(STANDARD_COLUMNS))
    plain = {"record_id": "a/1", "first_name": "Amy", "surname": "Wood", "dob": "2012-03-04"}
    marked = {**plain, **{f: "Z9" for f in PROTECTED_FIELDS}, "religion": "Z9"}
    assert standardise_record(marked) == standardise_record(plain)
    assert set(standardise_record(marked)) == set(STANDARD_COLUMNS)
