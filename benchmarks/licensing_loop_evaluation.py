"""Score the sweep's notices and the out-of-area rule against a synthetic region's truth.

``truth/licence_loopholes.csv`` lists every licence still in force that was granted after a
refusal by another authority (the driver, the refusing agency and date, the granting agency);
``truth/out_of_area_offenders.csv`` the plates of ring drivers licensed away from the area
where they take victims. A notice is matched through its licensing-decision event
(``LIC-…/events.csv`` names the subject's record, ``truth/record_person.csv`` the person).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safeguard.licensing.out_of_area import ConcernRule, OutOfArea, Sighting, detect


@dataclass(frozen=True)
class Quality:
    """True positives, predictions and truth; precision and recall."""

    hits: int  # predictions that are right
    predicted: int
    truth: int
    found: int | None = None  # truth items found, when it can differ from ``hits``

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        found = self.hits if self.found is None else self.found
        return found / self.truth if self.truth else 1.0


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def loopholes(folder: Path) -> set[tuple[str, str, str, str]]:
    """(person, refusing LA, refusal date, granting agency) of every loophole licence."""
    return {
        (r["person_id"], r["entry_agency"].removeprefix("LIC-"), r["entry_on"],
         r["granted_agency"])
        for r in _rows(folder / "truth" / "licence_loopholes.csv")
    }  # fmt: skip


def decision_subjects(folder: Path) -> dict[tuple[str, str], str]:
    """(licensing agency, decision event local id) → the true person it is about."""
    person_of = {(r["agency"], r["local_id"]): r["person_id"]
                 for r in _rows(folder / "truth" / "record_person.csv")}  # fmt: skip
    out = {}
    for path in sorted(folder.glob("LIC-*/events.csv")):
        agency = path.parent.name
        for r in _rows(path):
            local = r["participants"].split(":", 1)[1]
            out[(agency, r["local_id"])] = person_of[(agency, local)]
    return out


def score_sweep(folder: Path, notices: Sequence[Mapping[str, Any]]) -> Quality:
    """Notices from the register (subject ``register:…``) against the loophole truth.

    A notice is right when its licence is the person's and its evidence names the refusing
    authority and date of a true loophole; recall counts the loopholes with a right notice.
    """
    truth = loopholes(folder)
    subjects = decision_subjects(folder)
    found: set[tuple[str, str, str, str]] = set()
    predicted = right = 0
    for n in notices:
        if not str(n["subject"]).startswith("register:"):
            continue
        predicted += 1
        ev = json.loads(n["evidence"] or "{}")
        person = subjects.get((n["event_agency"], n["event_local_id"]), "")
        key = (person, ev.get("authority", ""), ev.get("decided_on", ""), n["agency_code"])
        if key in truth:
            right += 1
            found.add(key)
    return Quality(right, predicted, len(truth), len(found))


def flagged_loopholes_by_other_notices(
    folder: Path, notices: Iterable[Mapping[str, Any]]
) -> Quality:
    """The baseline: loophole licences whose granting authority got *any* notice about that
    driver or plate before the sweep existed (safeguarding-event notices only)."""
    truth = loopholes(folder)
    drivers = {(p, g) for p, _, _, g in truth}
    plates = {r["plate"]: r["person_id"] for r in _rows(folder / "truth" / "licences.csv")}
    told = set()
    for n in notices:
        subject = str(n["subject"])
        if subject.startswith("plate:"):
            told.add((plates.get(subject.removeprefix("plate:"), ""), n["agency_code"]))
    hits = len(drivers & told)
    return Quality(hits, len(told), len(drivers))


def offender_plates(folder: Path) -> set[str]:
    return {r["plate"].upper() for r in _rows(folder / "truth" / "out_of_area_offenders.csv")}


def score_out_of_area(found: Iterable[OutOfArea], truth: Set[str], concern: bool) -> Quality:
    """Plates flagged (of concern, or merely working away when ``concern`` is False)."""
    flagged = {o.plate for o in found if o.of_concern or not concern}
    return Quality(len(flagged & truth), len(flagged), len(truth))


def tune(
    cases: Sequence[tuple[list[Sighting], dict[str, str], dict[str, str], set[str], set[str]]],
    working: tuple[int, int],
    grid: Iterable[ConcernRule],
) -> list[tuple[ConcernRule, Quality]]:
    """Every rule of ``grid`` scored on the tuning cases (pooled), best F1 first."""
    out = []
    for rule in grid:
        hits = predicted = truth = 0
        for sightings, plates, outward, hotspots, offenders in cases:
            found = detect(sightings, plates, outward, *working, rule, hotspots)
            q = score_out_of_area(found, offenders, concern=True)
            hits, predicted, truth = hits + q.hits, predicted + q.predicted, truth + q.truth
        out.append((rule, Quality(hits, predicted, truth)))

    def f1(q: Quality) -> float:
        return 2 * q.hits / (q.predicted + q.truth) if q.predicted + q.truth else 0.0

    # ties: the higher recall, then the fewest nights, then the shortest night
    return sorted(out, key=lambda x: (-f1(x[1]), -x[1].recall, x[0].min_nights,
                                      -x[0].night_from))  # fmt: skip
