"""Group matching and the adjusted Rand index against hand-worked values."""

from __future__ import annotations

import pytest
from benchmarks.network_evaluation import adjusted_rand_index, jaccard, match_groups


def test_jaccard_and_matching() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    truth = [{"a", "b", "c"}, {"d", "e"}]
    found = [{"a", "b"}, {"d", "x", "y"}, {"z", "w"}]
    m = match_groups(found, truth)
    assert (m.matched_found, m.matched_true) == (1, 1)
    assert m.precision == pytest.approx(1 / 3) and m.recall == pytest.approx(1 / 2)


def test_adjusted_rand_index() -> None:
    assert adjusted_rand_index(list("aabb"), list("xxyy")) == pytest.approx(1.0)
    # scikit-learn's documented example: ARI([0,0,1,2],[0,0,1,1]) = 0.5714...
    assert adjusted_rand_index(list("0012"), list("0011")) == pytest.approx(0.5714285714)
    assert adjusted_rand_index(list("aabb"), list("xyxy")) == pytest.approx(-0.5)
    with pytest.raises(ValueError):
        adjusted_rand_index(["a"], [])
