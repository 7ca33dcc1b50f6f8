"""Rates per 100,000, rate ratios with 95% confidence intervals, and "not stated" bounds.

Pure arithmetic on aggregate counts, never on individuals. Confidence intervals for a rate
ratio RR = (a / Pa) / (b / Pb):

* **log method** when both counts are at least ``EXACT_BELOW``:
  ``exp(ln RR ± z * sqrt(1/a + 1/b))``;
* **exact** otherwise (conditional on a + b, a is binomial; Clopper-Pearson limits for the
  proportion a / (a + b) are turned into limits for RR), which stays valid for small counts
  and for a zero count (lower limit 0, or upper limit infinite).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

EXACT_BELOW = 10


@dataclass(frozen=True)
class RateRatio:
    ratio: float | None
    low: float | None
    high: float | None
    method: str


def rate(count: float, population: float, per: int = 100_000) -> float | None:
    """Count per ``per`` people; None when there is no population to divide by."""
    return count / population * per if population > 0 else None


def _log_binom_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed from whichever tail is shorter."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    if k <= n - k:
        return min(1.0, sum(math.exp(_log_binom_pmf(i, n, p)) for i in range(k + 1)))
    upper = sum(math.exp(_log_binom_pmf(i, n, p)) for i in range(k + 1, n + 1))
    return max(0.0, 1.0 - upper)


def _bisect(fn: Callable[[float], float], target: float, increasing: bool) -> float:
    """The p in [0, 1] where a monotone ``fn`` crosses ``target``."""
    lo, hi = 0.0, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if (fn(mid) < target) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact two-sided limits for a binomial proportion k / n."""
    low = 0.0
    if k > 0:
        low = _bisect(lambda p: 1.0 - _binom_cdf(k - 1, n, p), alpha / 2, increasing=True)
    high = 1.0
    if k < n:
        high = _bisect(lambda p: _binom_cdf(k, n, p), alpha / 2, increasing=False)
    return low, high


def rate_ratio(a: int, pop_a: float, b: int, pop_b: float, z: float = 1.96) -> RateRatio:
    """Rate ratio of group A to reference group B with a confidence interval (see module)."""
    if pop_a <= 0 or pop_b <= 0 or a + b == 0:
        return RateRatio(None, None, None, "not computable (no cases or no population)")
    ratio = None if b == 0 else (a / pop_a) / (b / pop_b)
    if a >= EXACT_BELOW and b >= EXACT_BELOW:
        assert ratio is not None
        half = z * math.sqrt(1 / a + 1 / b)
        return RateRatio(ratio, ratio * math.exp(-half), ratio * math.exp(half), "log")
    alpha = 2 * (1 - _normal_cdf(z))
    p_low, p_high = clopper_pearson(a, a + b, alpha)
    scale = pop_b / pop_a

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1.0 else p / (1 - p) * scale

    return RateRatio(ratio, to_ratio(p_low), to_ratio(p_high), "exact")


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass(frozen=True)
class NotStatedBounds:
    """How far the not-stated records could move a figure: none of them in the group (low)
    versus all of them in it (high)."""

    count_low: int
    count_high: int
    rate_low: float | None
    rate_high: float | None
    ratio_low: float | None
    ratio_high: float | None


def not_stated_bounds(
    a: int, pop_a: float, b: int, pop_b: float, not_stated: int, per: int = 100_000
) -> NotStatedBounds:
    """Bounds for group A's count, rate and rate ratio against reference B.

    The ratio is lowest when every not-stated record belongs to the reference group and none
    to A, and highest when every one belongs to A and none to the reference.
    """
    low_ratio = None
    if pop_a > 0 and pop_b > 0 and b + not_stated > 0:
        low_ratio = (a / pop_a) / ((b + not_stated) / pop_b)
    high_ratio = None
    if pop_a > 0 and pop_b > 0 and b > 0:
        high_ratio = ((a + not_stated) / pop_a) / (b / pop_b)
    return NotStatedBounds(
        a,
        a + not_stated,
        rate(a, pop_a, per),
        rate(a + not_stated, pop_a, per),
        low_ratio,
        high_ratio,
    )
