"""The sweep's rule (granted after a live entry elsewhere), current licences, the out-of-area
concern rule, and the generator's truth for both."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from safeguard.licensing.matching import Identity
from safeguard.licensing.out_of_area import ConcernRule, Sighting, detect
from safeguard.licensing.settings import load_licensing_settings
from safeguard.licensing.sweep import CurrentLicence, current_licences, sweep
from safeguard.synth.identifiers import driving_licence
from safeguard.synth.region import generate_region

S = load_licensing_settings()
DOB = date(1980, 5, 7)
DL = driving_licence("Shah", "Imran", None, DOB, "M")
ENTRY = {"id": 7, "authority": "E08000018", "decision": "refused", "decided_on": date(2021, 1, 10),
         "reason": "safeguarding", "first_name": "Imran", "middle_name": None, "surname": "Shah",
         "other_names": "", "dob": DOB, "sex": "M", "postcode": None,
         "driving_licence": DL}  # fmt: skip


def licence(authority: str, granted: date, **who: Any) -> CurrentLicence:
    ident = Identity(**{"first_name": "Imran", "surname": "Shah", "dob": DOB, "sex": "M",
                        "driving_licence": DL, **who})  # fmt: skip
    return CurrentLicence(1, authority, granted, ident)


def flagged(lic: CurrentLicence, entry: dict[str, Any] = ENTRY) -> bool:
    return bool(sweep([lic], [entry], S.match, S.retention_years))


def test_a_licence_granted_after_a_refusal_elsewhere_is_flagged() -> None:
    assert flagged(licence("E08000005", date(2021, 9, 1)))
    for decision in ("suspended", "revoked"):
        assert flagged(licence("E08000005", date(2021, 9, 1)), {**ENTRY, "decision": decision})
    # by name and date of birth alone: a nickname and no DVLA number on either side
    bare = {**ENTRY, "driving_licence": None}
    assert flagged(licence("E08000005", date(2021, 9, 1), driving_licence=None), bare)


def test_what_the_sweep_does_not_flag() -> None:
    assert not flagged(licence("E08000005", date(2020, 3, 1)))  # granted before the refusal
    assert not flagged(licence("E08000005", date(2021, 1, 10)))  # the same day
    assert not flagged(licence("E08000018", date(2021, 9, 1)))  # the refusing authority's own
    assert not flagged(licence("E08000005", date(2032, 2, 1)))  # the entry had expired
    stranger = licence("E08000005", date(2021, 9, 1), first_name="Sarah", surname="Wood",
                       sex="F", driving_licence=None)  # fmt: skip
    assert not flagged(stranger)


def test_current_licences_end_with_a_suspension_or_revocation() -> None:
    who = Identity("Imran", "Shah", DOB)

    def row(n: int, on: str, decision: str, key: str = "R1") -> dict[str, Any]:
        return {"id": n, "authority": "E08000005", "occurred_on": on, "decision": decision,
                "licence_key": key, "identity": who}  # fmt: skip

    rows = [row(1, "2020-01-01", "granted"), row(2, "2021-01-01", "revoked"),
            row(3, "2020-05-05", "granted", "R2"), row(4, "2022-01-01", "granted")]  # fmt: skip
    assert [lic.event_id for lic in current_licences(rows)] == [3, 4]


def sighting(day: int, hour: int | None, source: str = "ANPR", pc: str = "S60 1AA") -> Sighting:
    return Sighting("005P0001", date(2024, 3, day), pc, f"P/{day}{hour}", source, hour)


def test_concern_needs_night_sightings_reported_or_at_hotspots() -> None:
    plates, outward = {"005P0001": "E08000005"}, {"S60": "E08000018"}
    rule = ConcernRule(min_nights=2, night_from=20, night_to=6)
    # plenty of daytime ANPR reads away from home: working out of area, not of concern
    day = [sighting(d, 14) for d in range(1, 6)]
    [found] = detect(day, plates, outward, 3, 2, rule, {"S601AA"})
    assert not found.of_concern and found.concern_nights == 0
    # a reported sighting at 23:00 and an ANPR read at a hotspot at 01:00 the next night
    night = [sighting(1, 23, "reported", "S60 9ZZ"), sighting(3, 1, "ANPR")]
    [found] = detect(night, plates, outward, 3, 2, rule, {"S601AA"})
    assert found.of_concern and found.concern_nights == 2  # listed though only 2 sightings
    assert detect(night, plates, outward, 3, 2, rule, set()) == []  # no hotspot: one night
    untimed = [sighting(1, None, "reported"), sighting(2, None, "reported")]
    assert detect(untimed, plates, outward, 3, 2, rule, set()) == []


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_generator_truth_for_loopholes_and_out_of_area(tmp_path: Path) -> None:
    generate_region(tmp_path, 6000, seed=5)
    loopholes = _rows(tmp_path / "truth/licence_loopholes.csv")
    assert loopholes, "some ordinary or ring drivers are granted after a refusal elsewhere"
    for r in loopholes:
        assert r["entry_on"] < r["granted_on"] and r["entry_agency"] != r["granted_agency"]
    offenders = _rows(tmp_path / "truth/out_of_area_offenders.csv")
    assert offenders and all(r["licensing_la"] != r["offending_la"] for r in offenders)
    licences = _rows(tmp_path / "truth/licences.csv")
    reads = sum(
        1 for p in tmp_path.glob("POLICE-*/events.csv") for r in _rows(p)
        if r["event_type"] == "anpr_read"
    )  # fmt: skip
    # about 20 shifts in four weeks, 2–6 reads a shift, for every licensed vehicle
    assert 40 * len(licences) <= reads <= 120 * len(licences)


def test_protected_fields_never_reach_the_sweep_or_the_concern_rule() -> None:
    from safeguard.domain.records import PROTECTED_FIELDS
    from safeguard.licensing import out_of_area
    from safeguard.licensing import sweep as sweep_module

    for module in (sweep_module, out_of_area):
        code = Path(str(module.__file__)).read_text(encoding="utf-8").split('"""', 2)[2]
        for name in PROTECTED_FIELDS:
            assert name not in code, (module.__name__, name)
