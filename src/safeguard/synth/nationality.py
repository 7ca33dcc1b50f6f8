"""Nationality and immigration status of true people, by ONS 2021 ethnic group.

The mixes are assumptions of the right order of magnitude (Census 2021 passports held, TS005,
shows most residents of every ethnic group hold a UK passport); see docs/synthetic-data.md.
"""

from __future__ import annotations

import random
from bisect import bisect
from itertools import accumulate

# ONS code -> adult nationality mix ("GBR;PAK" is dual). Unlisted codes are British.
_ADULT_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "1": (("GBR", 0.75), ("BGD", 0.15), ("GBR;BGD", 0.10)),
    "2": (("GBR", 0.45), ("CHN", 0.35), ("HKG", 0.20)),
    "3": (("GBR", 0.70), ("IND", 0.25), ("GBR;IND", 0.05)),
    "4": (("GBR", 0.75), ("PAK", 0.15), ("GBR;PAK", 0.10)),
    "5": (("GBR", 0.55), ("AFG", 0.15), ("LKA", 0.10), ("PHL", 0.10), ("NPL", 0.10)),
    "6": (
        ("GBR", 0.55),
        ("NGA", 0.15),
        ("SOM", 0.10),
        ("ERI", 0.05),
        ("ZWE", 0.05),
        ("GHA", 0.05),
        ("SDN", 0.05),
    ),
    "14": (("GBR", 0.50), ("IRL", 0.30), ("GBR;IRL", 0.20)),
    "16": (("ROU", 0.50), ("SVK", 0.20), ("CZE", 0.10), ("GBR", 0.20)),
    "17": (
        ("GBR", 0.30),
        ("POL", 0.25),
        ("ROU", 0.20),
        ("LTU", 0.05),
        ("ITA", 0.05),
        ("PRT", 0.05),
        ("BGR", 0.05),
        ("ESP", 0.05),
    ),
    "18": (("GBR", 0.55), ("IRQ", 0.15), ("SYR", 0.15), ("YEM", 0.05), ("EGY", 0.10)),
    "19": (("GBR", 0.50), ("AFG", 0.10), ("IRN", 0.15), ("TUR", 0.15), ("ERI", 0.10)),
}
CHILD_BRITISH = 0.65  # share of children of these groups British by birth regardless of mix
_STATUS = (
    ("settled", 0.60),
    ("visa_holder", 0.22),
    ("refugee", 0.08),
    ("asylum_pending", 0.06),
    ("no_leave", 0.04),
)
_STATUS_CUM = tuple(accumulate(w for _, w in _STATUS))
_MIX_CUM = {k: tuple(accumulate(w for _, w in v)) for k, v in _ADULT_MIX.items()}


def nationality(ons_code: str, child: bool, rng: random.Random) -> tuple[str, ...]:
    """ISO alpha-3 codes of a person's nationality (two for dual nationals)."""
    mix = _ADULT_MIX.get(ons_code)
    if mix is None or (child and rng.random() < CHILD_BRITISH):
        return ("GBR",)
    cum = _MIX_CUM[ons_code]
    return tuple(mix[bisect(cum, rng.random() * cum[-1])][0].split(";"))


def immigration_status(nat: tuple[str, ...], rng: random.Random) -> str:
    """British citizens for any UK passport holder; otherwise a status drawn from a mix."""
    if "GBR" in nat:
        return "british_citizen"
    return _STATUS[bisect(_STATUS_CUM, rng.random() * _STATUS_CUM[-1])][0]
