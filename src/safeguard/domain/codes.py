"""Code lists from DATA-STANDARDS.md, loaded from the CSV files in ``safeguard/data``.

Each list is a data file naming its source, so it can be updated without touching logic.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pycountry

NOT_STATED = "NS"


class CodeListError(ValueError):
    """A packaged code list is malformed."""


def read_data_csv(name: str) -> list[dict[str, str]]:
    """Read a packaged CSV, skipping ``#`` comment lines (where the source is named)."""
    text = resources.files("safeguard.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    if not rows:
        raise CodeListError(f"code list {name} is empty")
    return rows


@dataclass(frozen=True)
class CodeList:
    """An ordered code list: code -> description, plus any extra columns."""

    name: str
    descriptions: dict[str, str]
    extra: dict[str, dict[str, str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.descriptions

    def codes(self) -> list[str]:
        return list(self.descriptions)

    @classmethod
    def from_file(cls, name: str, description_column: str = "description") -> CodeList:
        rows = read_data_csv(name)
        if "code" not in rows[0] or description_column not in rows[0]:
            raise CodeListError(f"{name} needs columns code and {description_column}")
        return cls(
            name=name,
            descriptions={r["code"]: r[description_column] for r in rows},
            extra={r["code"]: r for r in rows},
        )


@dataclass(frozen=True)
class Area:
    """A local authority with its police force area and real outward postcodes."""

    la_code: str
    la_name: str
    force_code: str
    force_name: str
    outward_codes: tuple[str, ...]


@dataclass(frozen=True)
class Agency:
    """An agency that submits data or receives shares: ``KIND-AREA``."""

    code: str
    kind: str
    name: str
    la_code: str | None
    force_code: str | None


AGENCY_KINDS = ("police", "csc", "health", "education", "licensing", "mash", "immigration")
#: The national immigration enforcement agency: it decides what to do with a referral.
IMMIGRATION_ENFORCEMENT = "IE-HO"
_LA_KINDS = {
    "csc": ("CSC", "children's social care"),
    "health": ("HEALTH", "health"),
    "education": ("EDU", "education"),
    "licensing": ("LIC", "taxi licensing"),
    "mash": ("MASH", "multi-agency safeguarding hub"),
}


@dataclass(frozen=True)
class CodeLists:
    """Every code list the platform validates against."""

    ethnicity_ons2021: CodeList
    ethnicity_police: CodeList
    ethnicity_observed: CodeList
    sex: CodeList
    immigration_status: CodeList
    roles: CodeList
    object_types: CodeList
    place_types: CodeList
    event_types: CodeList
    offences: CodeList
    areas: tuple[Area, ...]
    agencies: dict[str, Agency]

    def la_of_postcode(self, postcode: str | None) -> str | None:
        """The local authority whose postcode districts hold ``postcode`` (None if none)."""
        text = (postcode or "").strip().upper()
        if not text:
            return None
        outward = text.split()[0] if " " in text else text[:-3]
        return next((a.la_code for a in self.areas if outward in a.outward_codes), None)

    def la_of_record(self, agency_code: str, postcode: str | None) -> str | None:
        """A person record's area: its agency's local authority, or (a police force or health
        body spanning several) the authority of the record's postcode."""
        agency = self.agencies.get(agency_code)
        if agency is not None and agency.la_code:
            return agency.la_code
        return self.la_of_postcode(postcode)

    def is_ethnicity(self, code: str) -> bool:
        """ONS 2021 code, police 18+1 code or NS."""
        return code in self.ethnicity_ons2021 or code in self.ethnicity_police

    def event_type_agency_kinds(self, event_type: str) -> tuple[str, ...]:
        return tuple(self.event_types.extra[event_type]["agencies"].split(";"))

    def ethnic_group(self, code: str) -> str:
        """High-level group (Asian, Black, Mixed, White, Other, Not stated) of any code."""
        if code in self.ethnicity_ons2021:
            return self.ethnicity_ons2021.extra[code]["group"]
        if code in self.ethnicity_police:
            return self.ethnicity_police.extra[code]["group"]
        raise KeyError(code)


@lru_cache(maxsize=1024)
def is_country(alpha3: str) -> bool:
    """ISO 3166-1 alpha-3 code known to pycountry."""
    return len(alpha3) == 3 and pycountry.countries.get(alpha_3=alpha3.upper()) is not None


def _load_areas() -> tuple[Area, ...]:
    return tuple(
        Area(
            la_code=r["la_code"],
            la_name=r["la_name"],
            force_code=r["force_code"],
            force_name=r["force_name"],
            outward_codes=tuple(r["outward_codes"].split(";")),
        )
        for r in read_data_csv("areas.csv")
    )


def _agencies(areas: tuple[Area, ...]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for area in areas:
        police = f"POLICE-{area.force_code}"
        agencies.setdefault(
            police, Agency(police, "police", f"{area.force_name} Police", None, area.force_code)
        )
        for kind, (prefix, label) in _LA_KINDS.items():
            code = f"{prefix}-{area.la_code}"
            agencies[code] = Agency(
                code, kind, f"{area.la_name} {label}", area.la_code, area.force_code
            )
    agencies[IMMIGRATION_ENFORCEMENT] = Agency(
        IMMIGRATION_ENFORCEMENT, "immigration", "Home Office Immigration Enforcement", None, None
    )
    return agencies


@lru_cache(maxsize=1)
def load_code_lists() -> CodeLists:
    """Load and validate every packaged code list once."""
    areas = _load_areas()
    return CodeLists(
        ethnicity_ons2021=CodeList.from_file("ethnicity_ons2021.csv", "category"),
        ethnicity_police=CodeList.from_file("ethnicity_police_18plus1.csv"),
        ethnicity_observed=CodeList.from_file("ethnicity_observed_ic.csv"),
        sex=CodeList.from_file("sex.csv"),
        immigration_status=CodeList.from_file("immigration_status.csv"),
        roles=CodeList.from_file("roles.csv"),
        object_types=CodeList.from_file("object_types.csv"),
        place_types=CodeList.from_file("place_types.csv"),
        event_types=CodeList.from_file("event_types.csv"),
        offences=CodeList.from_file("offences.csv"),
        areas=areas,
        agencies=_agencies(areas),
    )
