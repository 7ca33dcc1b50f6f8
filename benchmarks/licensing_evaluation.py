"""Measure the check on synthetic drivers: recall of true variants, and strangers returned.

The register is every licensing-agency person record of a synthetic region (the drivers as a
licensing authority recorded them, with their driving licence numbers); applicants are the
police, social-care, health and education records of adults (noisier: nicknames, typos,
transposed dates). An applicant who is a driver should find their entry; anyone else should
find nothing. Ground truth is ``truth/record_person.csv``.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from safeguard.licensing.matching import Identity, RegisterIndex
from safeguard.licensing.settings import load_licensing_settings
from safeguard.synth.names import load_name_variants
from safeguard.synth.noise import keyboard_slip


@dataclass(frozen=True)
class CheckQuality:
    applicants: int
    drivers: int
    found: int
    strangers_returned: int
    candidates: int
    correct_candidates: int

    @property
    def recall(self) -> float:
        return self.found / self.drivers if self.drivers else 1.0

    @property
    def precision(self) -> float:
        return self.correct_candidates / self.candidates if self.candidates else 1.0


def _identity(row: dict[str, str]) -> Identity:
    return Identity(
        first_name=row["first_name"],
        surname=row["surname"],
        dob=date.fromisoformat(row["dob"]),
        middle_name=row["middle_name"] or None,
        postcode=row["postcode"] or None,
        sex=row["sex"] or None,
    )


def _licences(folder: Path) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("LIC-*/events.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                local = row["participants"].split(":", 1)[1]
                licence = json.loads(row["details"] or "{}").get("driving_licence")
                if licence:
                    out[(path.parent.name, local)] = licence
    return out


def evaluate_region(folder: Path, max_applicants: int | None = None) -> CheckQuality:
    """Build the register from the region's licensing records and check every adult record."""
    with (folder / "truth" / "record_person.csv").open(encoding="utf-8") as fh:
        person_of = {(r["agency"], r["local_id"]): r["person_id"] for r in csv.DictReader(fh)}
    licences = _licences(folder)
    ids, identities, applicants = [], [], []
    for path in sorted(folder.glob("*/persons.csv")):
        agency = path.parent.name
        if agency == "truth":
            continue
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                person = person_of[(agency, row["local_id"])]
                ident = _identity(row)
                if agency.startswith("LIC-"):
                    ident = Identity(
                        **{
                            **ident.__dict__,
                            "driving_licence": licences.get((agency, row["local_id"])),
                        }
                    )
                    ids.append(person)
                    identities.append(ident)
                elif ident.dob.year <= 2000:
                    applicants.append((person, ident))
    index = RegisterIndex(ids, identities, load_licensing_settings().match)
    drivers = set(ids)
    applicants = applicants[:max_applicants] if max_applicants else applicants
    return _measure(index, applicants, drivers)


def _measure(
    index: RegisterIndex, applicants: list[tuple[str, Identity]], drivers: set[str]
) -> CheckQuality:
    found = strangers = cands = correct = n_drivers = 0
    for person, ident in applicants:
        got = index.check(ident)
        cands += len(got)
        correct += sum(c.entry_id == person for c in got)
        if person in drivers:
            n_drivers += 1
            found += any(c.entry_id == person for c in got)
        elif got:
            strangers += 1
    return CheckQuality(len(applicants), n_drivers, found, strangers, cands, correct)


def variants(ident: Identity, rng: random.Random) -> Iterator[tuple[str, Identity]]:
    """One application per kind of error the synthetic noise model makes, where it can apply."""
    names = load_name_variants()
    for kind, table in (("nickname", names.nickname), ("transliteration", names.transliteration)):
        if ident.first_name in table:
            yield kind, replace(ident, first_name=rng.choice(table[ident.first_name]))
    d = ident.dob
    if d.day <= 12 and d.day != d.month:
        yield "dob_day_month_swap", replace(ident, dob=date(d.year, d.day, d.month))
    yield "dob_typo", replace(ident, dob=d + timedelta(days=rng.choice((-1, 1))))
    yield "typo_first", replace(ident, first_name=keyboard_slip(ident.first_name, rng))
    yield "typo_surname", replace(ident, surname=keyboard_slip(ident.surname, rng))
    yield "swapped_names", replace(ident, first_name=ident.surname, surname=ident.first_name)


def evaluate_variants(
    ids: list[str], identities: list[Identity], strangers: list[Identity], seed: int = 1
) -> dict[str, CheckQuality]:
    """Recall per kind of error (applicants without licence numbers) and strangers returned."""
    index = RegisterIndex(ids, identities, load_licensing_settings().match)
    rng = random.Random(seed)
    by_kind: dict[str, list[tuple[str, Identity]]] = {}
    for person, ident in zip(ids, identities, strict=True):
        bare = replace(ident, driving_licence=None, postcode=None)
        for kind, app in variants(bare, rng):
            by_kind.setdefault(kind, []).append((person, app))
    out = {k: _measure(index, apps, set(ids)) for k, apps in sorted(by_kind.items())}
    out["strangers"] = _measure(index, [("", s) for s in strangers], set(ids))
    return out


def region_identities(folder: Path) -> tuple[list[str], list[Identity], list[Identity]]:
    """Register (driver ids and identities) and stranger adults of a synthetic region."""
    with (folder / "truth" / "record_person.csv").open(encoding="utf-8") as fh:
        person_of = {(r["agency"], r["local_id"]): r["person_id"] for r in csv.DictReader(fh)}
    licences = _licences(folder)
    ids, identities, others = [], [], {}
    for path in sorted(folder.glob("*-*/persons.csv")):
        agency = path.parent.name
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                person = person_of[(agency, row["local_id"])]
                ident = _identity(row)
                if agency.startswith("LIC-"):
                    lic = licences.get((agency, row["local_id"]))
                    ids.append(person)
                    identities.append(replace(ident, driving_licence=lic))
                elif ident.dob.year <= 2000:
                    others[person] = ident
    drivers = set(ids)
    return ids, identities, [i for p, i in others.items() if p not in drivers]
