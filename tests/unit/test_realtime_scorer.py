"""The model's SQL conditions compiled into Python keep SQL's meaning, NULLs included."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.analytics.realtime_scorer import ConditionCompiler, UnsupportedCondition

COLUMNS = ("record_id", "a", "b", "n")
CONDITIONS = (
    "a_l = b_r OR b_l = a_r",
    "a_l = b_r AND b_l = a_r",
    '"a_l" IS NULL OR "a_r" IS NULL',
    '("a_l" IS NULL OR "a_r" IS NULL) AND ("b_l" IS NULL OR "b_r" IS NULL)',
    "substr(a_l, 1, 1) = substr(a_r, 1, 1)",
    'jaro_winkler_similarity("a_l", "a_r") >= 0.8',
    '("a_l" = "a_r") AND (jaro_winkler_similarity("b_l", "b_r") >= 0.9)',
    'damerau_levenshtein("a_l", "a_r") <= 1',
    'array_length(list_intersect("n_l", "n_r")) >= 1',
    "NOT (a_l = a_r)",
)
text = st.one_of(st.none(), st.text(alphabet="abcé -", min_size=1, max_size=6))
names = st.one_of(st.none(), st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3))
rows = st.tuples(st.just("id"), text, text, names)
CON = duckdb.connect()


@settings(max_examples=60, deadline=None)
@given(left=rows, right=rows)
def test_compiled_conditions_agree_with_duckdb(left: tuple, right: tuple) -> None:  # type: ignore[type-arg]
    compiler = ConditionCompiler(COLUMNS)
    con = CON.cursor()
    select = ", ".join(
        f"CAST(? AS {'VARCHAR[]' if c == 'n' else 'VARCHAR'}) AS {c}_{side}"
        for side in ("l", "r")
        for c in COLUMNS
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE p AS SELECT {select}", [*map(_sql, left), *map(_sql, right)]
    )
    for sql in CONDITIONS:
        expected = con.execute(f"SELECT ({sql}) FROM p").fetchone()
        assert expected is not None
        assert compiler.compile(sql)(left, right) == expected[0], sql


def _sql(value: object) -> object:
    return list(value) if isinstance(value, list | tuple) else value


def test_sql_it_cannot_translate_is_refused_at_compile_time() -> None:
    with pytest.raises(UnsupportedCondition):
        ConditionCompiler(COLUMNS).compile("levenshtein(a_l, a_r) <= 2 OR regexp_matches(a_l, 'x')")
    with pytest.raises(UnsupportedCondition):
        ConditionCompiler(COLUMNS).compile("ethnicity_l = ethnicity_r")
