"""Disclosure control: small cells withheld, and no withheld cell recoverable from the rest."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from safeguard.crime.sdc import protect, round_rate

from tests.disclosure_attack import attack

tables = st.integers(1, 7).flatmap(
    lambda r: st.integers(1, 6).flatmap(
        lambda c: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=c, max_size=c),
            min_size=r,
            max_size=r,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(tables, st.integers(2, 10), st.booleans())
def test_no_suppressed_cell_can_be_recovered(
    counts: list[list[int]], threshold: int, totals: bool
) -> None:
    table = protect(np.array(counts), threshold, totals)
    assert attack(table) == []
    published = table.published()
    for row, true_row in zip(published, table.values, strict=True):
        for shown, true in zip(row, true_row, strict=True):
            assert shown is None or shown == true  # nothing invented
            if 0 < true < threshold:
                assert shown is None  # every small cell withheld


def test_a_single_small_cell_in_a_row_takes_a_partner() -> None:
    table = protect(np.array([[2, 10, 20], [30, 40, 50]]), threshold=5)
    published = table.published()
    assert published[0][0] is None
    assert sum(v is None for v in published[0]) >= 2
    assert sum(row[0] is None for row in published) >= 2
    assert attack(table) == []


def test_a_table_without_small_cells_is_published_whole() -> None:
    table = protect(np.array([[5, 10], [0, 40]]), threshold=5)
    assert table.published() == [[5, 10, 15], [0, 40, 40], [5, 50, 55]]


def test_rates_are_rounded() -> None:
    assert round_rate(12.3456, 1) == 12.3
    assert round_rate(None, 1) is None


codes_counts = st.dictionaries(
    st.sampled_from(["A1", "A2", "A3", "A4", "A9", "B1", "B2", "B9", "M1", "W1", "W2", "W9", "NS"]),
    st.integers(0, 9),
)


@settings(max_examples=150, deadline=None)
@given(codes_counts)
def test_detailed_and_high_level_tables_together_pin_nothing(counts: dict[str, int]) -> None:
    """The rates tables by 18+1 code and by high-level group share a hierarchy; read together
    they must not pin a withheld detailed count."""
    from safeguard.crime.publish import disproportionality
    from safeguard.crime.rules import load_crime_rules
    from safeguard.domain.codes import load_code_lists

    codes, rules = load_code_lists(), load_crime_rules()
    population = {c: 100_000.0 for c in codes.ethnicity_police.codes()}
    detailed, _ = disproportionality(counts, population, codes, rules)
    groups, _ = disproportionality(counts, population, codes, rules, high_level=True)
    det = dict(zip(detailed["Code"], detailed["People"], strict=True))
    grp = dict(zip(groups["Code"], groups["People"], strict=True))
    names = [f"d:{c}" for c in det if c != "Total"] + [
        f"g:{g}" for g in grp if g not in ("Total", "NS")
    ]
    names.append("total")
    value = {f"d:{c}": v for c, v in det.items() if c != "Total"}
    value.update({f"g:{g}": v for g, v in grp.items() if g not in ("Total", "NS")})
    value["total"] = det["Total"]
    members: dict[str, list[str]] = {}
    for c in det:
        if c not in ("Total", "NS"):
            members.setdefault(codes.ethnic_group(c), []).append(f"d:{c}")
    equations = [[n for n in names if n.startswith("d:")] + ["-total"]]
    equations += [[*m, f"-g:{g}"] for g, m in members.items()]
    equations.append([n for n in names if n.startswith("g:")] + ["d:NS", "-total"])
    hidden = [n for n in names if value[n] == "[c]"]
    if not hidden:
        return
    index = {n: k for k, n in enumerate(hidden)}
    a = np.zeros((len(equations), len(hidden)))
    for r, eq in enumerate(equations):
        for term in eq:
            name, sign = (term[1:], -1.0) if term.startswith("-") else (term, 1.0)
            if name in index:
                a[r, index[name]] += sign
    rank = np.linalg.matrix_rank(a)
    for name, k in index.items():
        if not name.startswith("d:"):
            continue
        unit = np.zeros((1, len(hidden)))
        unit[0, k] = 1.0
        assert np.linalg.matrix_rank(np.vstack([a, unit])) > rank, f"{name} is recoverable"
