"""Rates, rate ratios and their confidence intervals against values computed by hand."""

from __future__ import annotations

import math

import pytest

from safeguard.crime.rates import clopper_pearson, not_stated_bounds, rate, rate_ratio


def test_rate_per_100000() -> None:
    assert rate(30, 100_000) == pytest.approx(30.0)
    assert rate(7, 350_000) == pytest.approx(2.0)
    assert rate(3, 0) is None


def test_log_method_interval() -> None:
    # a = 30 of 100,000; b = 20 of 200,000: RR = 30/10 = 3.
    # se(ln RR) = sqrt(1/30 + 1/20) = 0.288675; 1.96 * se = 0.565803
    # low = 3 * exp(-0.565803) = 1.70371; high = 3 * exp(0.565803) = 5.28258
    rr = rate_ratio(30, 100_000, 20, 200_000)
    assert rr.method == "log"
    assert rr.ratio == pytest.approx(3.0)
    assert rr.low == pytest.approx(1.70371, abs=1e-4)
    assert rr.high == pytest.approx(5.28258, abs=1e-4)


def test_clopper_pearson_matches_published_tables() -> None:
    # 3 of 10: (0.0667, 0.6525); 0 of 10: upper = 1 - 0.025 ** (1/10) = 0.3085
    low, high = clopper_pearson(3, 10)
    assert (low, high) == (pytest.approx(0.06674, abs=1e-4), pytest.approx(0.65245, abs=1e-4))
    assert clopper_pearson(0, 10) == (0.0, pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-6))


def test_exact_method_for_small_counts() -> None:
    # a = 3 (pop 100,000), b = 7 (pop 100,000): n = 10, p limits (0.0667, 0.6525);
    # RR limits = p / (1 - p) * (Pb / Pa) = 0.07151 and 1.87734
    rr = rate_ratio(3, 100_000, 7, 100_000)
    assert rr.method == "exact"
    assert rr.ratio == pytest.approx(3 / 7)
    assert rr.low == pytest.approx(0.06674 / (1 - 0.06674), rel=1e-3)
    assert rr.high == pytest.approx(0.65245 / (1 - 0.65245), rel=1e-3)


def test_zero_counts() -> None:
    zero_a = rate_ratio(0, 100_000, 12, 100_000)
    assert zero_a.ratio == 0.0 and zero_a.low == 0.0 and zero_a.high is not None
    zero_b = rate_ratio(4, 100_000, 0, 100_000)
    assert zero_b.ratio is None and zero_b.high == math.inf
    assert rate_ratio(0, 1, 0, 1).ratio is None


def test_not_stated_bounds() -> None:
    # group A: 10 stated of 50,000; reference: 40 of 200,000; 50 not stated.
    bounds = not_stated_bounds(10, 50_000, 40, 200_000, 50)
    assert (bounds.count_low, bounds.count_high) == (10, 60)
    assert bounds.rate_low == pytest.approx(20.0)  # 10 / 50,000 * 100,000
    assert bounds.rate_high == pytest.approx(120.0)  # 60 / 50,000 * 100,000
    # lowest ratio: all 50 in the reference: (10/50k) / (90/200k) = 20 / 45
    assert bounds.ratio_low == pytest.approx(20 / 45)
    # highest ratio: all 50 in A: (60/50k) / (40/200k) = 120 / 20 = 6
    assert bounds.ratio_high == pytest.approx(6.0)


def test_high_level_groups_sum_codes_and_populations() -> None:
    from safeguard.crime.publish import disproportionality
    from safeguard.crime.rules import load_crime_rules
    from safeguard.domain.codes import load_code_lists

    codes, rules = load_code_lists(), load_crime_rules()
    # published counts by high-level group (the cube sums the codes); populations by code
    counts: dict[str, int | None] = {"Asian": 30, "White": 50, "Not stated": 30, "Total": 110}
    population = {"A1": 100_000.0, "A2": 100_000.0, "W1": 400_000.0, "W9": 100_000.0}
    frame = disproportionality(counts, population, codes, rules, high_level=True)
    rows = frame.set_index("Code")
    # Asian: 30 of 200,000 = 15.0 per 100,000; White: 50 of 500,000 = 10.0; ratio 1.5
    assert rows.loc["Asian", "Rate per 100,000 (stated only)"] == 15.0
    assert rows.loc["White", "Rate per 100,000 (stated only)"] == 10.0
    assert rows.loc["Asian", "Rate ratio vs White"] == 1.5
    assert rows.loc["Asian", "CI method"] == "log"
    # the bound on Asian puts all 30 not stated in Asian: 60 of 200,000
    assert rows.loc["Asian", "Rate if all not stated were this group"] == 30.0
    # a withheld not-stated count withholds every bound, not the stated-only rate
    withheld = disproportionality(
        {**counts, "Not stated": None}, population, codes, rules, high_level=True
    ).set_index("Code")
    assert withheld.loc["Asian", "Rate per 100,000 (stated only)"] == 15.0
    assert withheld.loc["Asian", "Rate if all not stated were this group"] == "[c]"
    assert withheld.loc["Asian", "Ratio if all not stated were this group"] == "[c]"
