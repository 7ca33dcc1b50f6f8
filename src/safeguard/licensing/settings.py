"""``data/licensing.yaml`` and ``data/licensing_reasons.csv`` loaded and checked at start-up."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from safeguard.domain.rules_file import parse_yaml_mapping, reading
from safeguard.licensing.out_of_area import ConcernRule


@dataclass(frozen=True)
class MatchWeights:
    """Points per comparison level and the thresholds for a possible and a strong match."""

    first_name: dict[str, float]
    surname: dict[str, float]
    dob: dict[str, float]
    swapped_names: float
    postcode: dict[str, float]
    driving_licence_differs: float
    sex_differs: float
    possible: float
    strong: float
    jw_strong: float
    jw_weak: float
    tf_floor: float


@dataclass(frozen=True)
class LicensingSettings:
    retention_years: int
    entry_deadline_days: int
    match: MatchWeights
    min_sightings: int
    min_days: int
    concern: ConcernRule


_LEVELS = {
    "first_name": {"exact", "nickname", "phonetic", "jw_strong", "as_middle", "jw_weak", "other"},
    "surname": {"exact", "hyphen_part", "phonetic", "jw_strong", "jw_weak", "other"},
    "dob": {"exact", "transposed", "one_slip", "year_month", "other"},
    "postcode": {"same", "district"},
}


def _text(name: str) -> str:
    return resources.files("safeguard.data").joinpath(name).read_text(encoding="utf-8")


class LicensingSettingsError(ValueError):
    """``data/licensing.yaml`` cannot be used; the message names the key or line."""


LICENSING_FILE = "data/licensing.yaml"


def parse_settings_text(text: str) -> LicensingSettings:
    """The settings from the file's text; any fault is one ``LicensingSettingsError``."""
    return parse_settings(parse_yaml_mapping(text, LICENSING_FILE, LicensingSettingsError))


def parse_settings(raw: dict[str, Any]) -> LicensingSettings:
    """Build the settings from the YAML mapping; a bad value raises an error saying which."""
    with reading(LICENSING_FILE, LicensingSettingsError):
        m = raw["match"]
        levels = {k: {lvl: float(v) for lvl, v in m[k].items()} for k in _LEVELS}
        for k, need in _LEVELS.items():
            if set(levels[k]) != need:
                raise LicensingSettingsError(
                    f"{LICENSING_FILE}: match.{k} needs exactly the levels {sorted(need)}"
                )
        s = LicensingSettings(
            retention_years=int(raw["register"]["retention_years"]),
            entry_deadline_days=int(raw["register"]["entry_deadline_days"]),
            match=MatchWeights(
                first_name=levels["first_name"],
                surname=levels["surname"],
                dob=levels["dob"],
                swapped_names=float(m["swapped_names"]),
                postcode=levels["postcode"],
                driving_licence_differs=float(m["driving_licence_differs"]),
                sex_differs=float(m["sex_differs"]),
                possible=float(m["possible"]),
                strong=float(m["strong"]),
                jw_strong=float(m["jw_strong"]),
                jw_weak=float(m["jw_weak"]),
                tf_floor=float(m["tf_floor"]),
            ),
            min_sightings=int(raw["out_of_area"]["min_sightings"]),
            min_days=int(raw["out_of_area"]["min_days"]),
            concern=ConcernRule(
                min_nights=int(raw["out_of_area"]["concern"]["min_nights"]),
                night_from=int(raw["out_of_area"]["concern"]["night_from"]),
                night_to=int(raw["out_of_area"]["concern"]["night_to"]),
            ),
        )
    if s.retention_years < 1 or s.entry_deadline_days < 0:
        raise LicensingSettingsError(
            f"{LICENSING_FILE}: retention_years must be ≥ 1, deadline days ≥ 0"
        )
    if not s.match.possible < s.match.strong:
        raise LicensingSettingsError(f"{LICENSING_FILE}: match.possible must be below match.strong")
    if s.min_sightings < 1 or s.min_days < 1 or s.concern.min_nights < 1:
        raise LicensingSettingsError("data/licensing.yaml: out_of_area thresholds must be ≥ 1")
    if not (0 <= s.concern.night_to <= 12 <= s.concern.night_from <= 24):
        raise LicensingSettingsError(
            "data/licensing.yaml: out_of_area.concern night_from must be an evening hour "
            "(12–24) and night_to a morning hour (0–12)"
        )
    return s


@lru_cache(maxsize=1)
def load_licensing_settings() -> LicensingSettings:
    """The shipped settings (cached)."""
    return parse_settings_text(_text("licensing.yaml"))


@lru_cache(maxsize=1)
def reason_categories() -> dict[str, str]:
    """Reason category code → label, from ``data/licensing_reasons.csv``."""
    lines = [ln for ln in _text("licensing_reasons.csv").splitlines() if not ln.startswith("#")]
    return {row["code"]: row["label"] for row in csv.DictReader(lines)}


@lru_cache(maxsize=1)
def read_reasons() -> dict[str, str]:
    """Why a licensing officer opens a check: code → label, ``data/licensing_read_reasons.csv``."""
    text = _text("licensing_read_reasons.csv")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    reasons = {row["code"]: row["label"] for row in csv.DictReader(lines)}
    if not reasons:
        raise LicensingSettingsError("data/licensing_read_reasons.csv lists no reasons")
    return reasons
