"""Every rate the generator uses, as data with a default; docs/synthetic-data.md gives sources.

Rates are probabilities per record (noise, coverage) or per child (events, scenarios). Tests
compare what the generator wrote against these settings, so a change here is a change in the
documented behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

AGENCY_KINDS = ("police", "csc", "health", "education", "licensing")
NOISE_TYPES = (
    "typo_first",
    "typo_surname",
    "dob_day_month_swap",
    "dob_typo",
    "nickname",
    "transliteration",
    "hyphenated_surname",
    "swapped_names",
    "surname_change",
    "missing_postcode",
    "missing_middle_name",
    "moved_address",
    "nhs_missing",
    "nhs_mistyped",
    "ethnicity_not_stated",
    "nationality_not_stated",
)


@dataclass(frozen=True)
class NoiseRates:
    """Probability that one agency's record of a person carries each kind of error."""

    typo_first: float = 0.02
    typo_surname: float = 0.02
    dob_day_month_swap: float = 0.01
    dob_typo: float = 0.01
    nickname: float = 0.05
    transliteration: float = 0.30
    hyphenated_surname: float = 0.01
    swapped_names: float = 0.005
    surname_change: float = 0.01
    missing_postcode: float = 0.03
    missing_middle_name: float = 0.30
    moved_address: float = 0.05
    nhs_missing: float = 0.0
    nhs_mistyped: float = 0.002
    ethnicity_not_stated: float = 0.10
    nationality_not_stated: float = 0.10

    def rate(self, noise: str) -> float:
        return float(getattr(self, noise))

    def scaled(self, factor: float) -> NoiseRates:
        """Every recording error ``factor`` times as likely (capped at 1); coverage (a missing NHS
        number) and "not stated" answers are not errors and stay as they are."""
        unscaled = {"nhs_missing", "ethnicity_not_stated", "nationality_not_stated"}
        return replace(
            self,
            **{
                f.name: min(1.0, getattr(self, f.name) * factor)
                for f in fields(self)
                if f.name not in unscaled
            },
        )


def _default_noise() -> dict[str, NoiseRates]:
    return {
        # Health: NHS number is its own key, names mostly from the spine (PDS); ethnicity often
        # unrecorded in GP data.
        "health": NoiseRates(
            typo_first=0.005,
            typo_surname=0.005,
            dob_day_month_swap=0.002,
            dob_typo=0.002,
            nickname=0.01,
            transliteration=0.10,
            missing_postcode=0.01,
            moved_address=0.04,
            nhs_missing=0.01,
            nhs_mistyped=0.002,
            ethnicity_not_stated=0.12,
            nationality_not_stated=0.30,
        ),
        # Schools: names as the family gives them (short forms common), NHS number rarely held.
        "education": NoiseRates(
            typo_first=0.01,
            typo_surname=0.01,
            dob_day_month_swap=0.003,
            dob_typo=0.003,
            nickname=0.06,
            transliteration=0.25,
            missing_postcode=0.005,
            moved_address=0.06,
            nhs_missing=0.93,
            nhs_mistyped=0.005,
            ethnicity_not_stated=0.03,
            nationality_not_stated=0.15,
        ),
        "csc": NoiseRates(
            typo_first=0.02,
            typo_surname=0.02,
            dob_day_month_swap=0.01,
            dob_typo=0.01,
            nickname=0.05,
            transliteration=0.30,
            missing_postcode=0.05,
            moved_address=0.10,
            nhs_missing=0.35,
            nhs_mistyped=0.01,
            ethnicity_not_stated=0.08,
            nationality_not_stated=0.20,
        ),
        # Police: names taken at the roadside or from the person themselves.
        "police": NoiseRates(
            typo_first=0.04,
            typo_surname=0.04,
            dob_day_month_swap=0.02,
            dob_typo=0.02,
            nickname=0.10,
            transliteration=0.40,
            hyphenated_surname=0.02,
            swapped_names=0.01,
            surname_change=0.01,
            missing_postcode=0.10,
            moved_address=0.10,
            nhs_missing=0.95,
            nhs_mistyped=0.01,
            ethnicity_not_stated=0.30,
            nationality_not_stated=0.35,
        ),
        # Licensing: identity documents are checked, so names are clean; no NHS numbers.
        "licensing": NoiseRates(
            typo_first=0.005,
            typo_surname=0.005,
            dob_day_month_swap=0.002,
            dob_typo=0.002,
            nickname=0.01,
            transliteration=0.20,
            missing_postcode=0.0,
            moved_address=0.05,
            nhs_missing=1.0,
            nhs_mistyped=0.0,
            ethnicity_not_stated=0.20,
            nationality_not_stated=0.05,
        ),
    }


@dataclass(frozen=True)
class ScenarioRates:
    """How many children each exploitation scenario touches (per child), and its shape."""

    group_based_per_child: float = 0.0008
    group_based_victims_per_ring: int = 6
    group_based_offenders_per_ring: tuple[int, int] = (3, 8)
    online_grooming_per_child: float = 0.0015
    familial_per_child: float = 0.0010
    county_lines_per_child: float = 0.0008
    county_lines_victims_per_line: int = 5
    county_lines_offenders_per_line: tuple[int, int] = (2, 4)
    suspect_ethnicity_not_stated: float = 0.60
    crime_reported: float = 0.65


@dataclass(frozen=True)
class SightingRates:
    """Sightings of licensed vehicles: ANPR reads and reported sightings (synth/sightings.py).

    Volumes: the National ANPR Data Centre receives around 60 million reads a day (GOV.UK,
    "Police use of Automatic Number Plate Recognition") for about 41 million licensed vehicles
    (DfT VEH0101, 2023): about 1.5 reads a vehicle a day. A taxi or private-hire vehicle drives
    several times the average car's mileage, so a working shift gives 2–6 reads here (an
    assumption). Police submit a four-week extract (``anpr_days``; NASPLE allows reads to be
    kept 12 months). The shares of work across boundaries, routine enforcement stops and the
    chance that a suspicious visit is reported are safeguard's assumptions, not published.
    """

    anpr_days: int = 28
    shifts_per_week: int = 5
    reads_per_shift: tuple[int, int] = (2, 6)
    night_share: float = 0.30  # shifts worked in the evening and night economy
    cross_border_share: float = 0.12  # reads in an authority the driver neither lives in
    home_share_if_licensed_away: float = 0.50  # licensed away: works at home (cross-border)
    routine_reports_per_year: float = 1.0  # enforcement stops and patrol checks of a taxi
    regular_client_rate: float = 0.10  # drivers with a regular night fare in another area
    regular_client_visits: tuple[int, int] = (4, 20)
    # nights a ring driver takes victims to the ring's places over about ten months: the
    # inquiries describe children abused weekly or more over months (Jay, Independent Inquiry
    # into CSE in Rotherham, 2014), so 8–30 nights; 3–15 gave out-of-area recall 0.64
    offender_trips: tuple[int, int] = (8, 30)
    suspicious_report: float = 0.35  # a trip seen and reported by hotel staff or a patrol
    routine_report_per_visit: float = 0.05  # an ordinary fare at a venue recorded by a patrol


@dataclass(frozen=True)
class SynthParams:
    """Everything that shapes a synthetic region apart from its size and seed."""

    as_of: date = date(2025, 3, 31)
    window_days: int = 3 * 365
    noise: dict[str, NoiseRates] = field(default_factory=_default_noise)
    scenarios: ScenarioRates = field(default_factory=ScenarioRates)
    twin_birth_rate: float = 0.035
    namesake_rate: float = 0.002
    lone_parent_rate: float = 0.23
    health_coverage: float = 0.99
    education_coverage: float = 0.97
    csc_referral_rate: float = 0.06
    police_contact_rate: float = 0.02
    driver_rate_per_adult: float = 0.008
    sightings: SightingRates = field(default_factory=SightingRates)
    # ordinary drivers refused elsewhere before their licence (the loophole) or after it
    refused_elsewhere_before: float = 0.02
    refused_elsewhere_after: float = 0.02
    refusal_without_dvla: float = 0.25  # refusals recorded without the DVLA number
    chunk_children: int = 20_000
    #: Partners record receiving what each agency shared (synth/timeliness.py). Off unless
    #: asked for: the receipts add partner records and events, and the regions other
    #: capabilities were tuned and tested on stay as they were.
    partner_receipts: bool = False

    def with_noise_scale(self, factor: float) -> SynthParams:
        """The same region with every agency's recording errors ``factor`` times as likely."""
        if not 0 <= factor <= 20:
            raise ValueError(f"the noise scale must be between 0 and 20, not {factor}")
        return replace(self, noise={k: v.scaled(factor) for k, v in self.noise.items()})
