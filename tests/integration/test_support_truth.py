"""The support report against the synthetic truth (issue 17): a region loaded through the real
ingest; every offer the truth owes a child victim is on the platform with the status the truth
gives it (made on time, late, never made, not yet due), and the report's counts per local
authority are the truth's."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.support.intake import AREA_NOT_KNOWN
from safeguard.support.report import classify
from safeguard.synth.params import SynthParams
from tests.conftest import FakeClock
from tests.regions import ingest_region

CHILDREN = 3000  # modest: the 10k target runs in benchmarks, not the test suite


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder: Path = tmp_path_factory.mktemp("support-truth")
    now = datetime.combine(SynthParams().as_of, time(), UTC) + timedelta(days=1)
    settings = Settings(database_url=f"sqlite:///{folder}/s.db", environment="test")
    platform = bootstrap(settings, clock=FakeClock(now))
    ingest_region(platform, folder / "region", CHILDREN, seed=11, las=2)
    with open(folder / "region" / "truth" / "support_offers.csv", newline="") as f:
        truth = list(csv.DictReader(f))
    yield platform, truth, now
    platform.close()


def test_every_truth_offer_is_on_the_platform_with_its_status(loaded) -> None:  # type: ignore[no-untyped-def]
    platform, truth, now = loaded
    fates = Counter(t["fate"] for t in truth)
    assert {"on_time", "late", "never_made"} <= set(fates), fates  # the truth has every kind
    assert any(t["outcome"] == "declined" for t in truth)
    with platform.uow() as uow:
        offers = {(o.person_id, o.service, o.trigger): o for o in uow.support.offers()}
        wrong: list[object] = []
        unplaced = 0
        for t in truth:
            person = uow.records.history(t["agency"], t["local_id"])[-1].person_id
            offer = offers.get(
                (person, t["service"], f"event:{t['agency']}/{t['trigger_local_id']}")
            )
            got = None if offer is None else (classify(offer, now), offer.la_code)
            # A record no area places yet (no postcode, a force over several authorities, not
            # yet linked to the child's other records) still gets its offer, under "unknown".
            if got not in ((t["fate"], t["la_code"]), (t["fate"], AREA_NOT_KNOWN)):
                wrong.append((t["service"], t["trigger_local_id"], t["fate"], got))
            unplaced += got == (t["fate"], AREA_NOT_KNOWN)
    assert wrong == [], (len(wrong), len(truth), wrong[:20])
    assert len(offers) == len(truth)  # and nothing the truth does not owe
    assert unplaced < len(truth) // 10, unplaced  # most children are placed at ingest


def key(uow: object, t: dict[str, str]) -> tuple[str, str, str]:
    """The platform's (child, service, trigger) of one truth offer."""
    person = uow.records.history(t["agency"], t["local_id"])[-1].person_id  # type: ignore[attr-defined]
    return (person, t["service"], f"event:{t['agency']}/{t['trigger_local_id']}")


def test_the_report_counts_are_the_truths(loaded) -> None:  # type: ignore[no-untyped-def]
    platform, truth, _ = loaded
    rows = {r.la_code: r for r in platform.support.report(protected=False)}
    with platform.uow() as uow:
        unplaced = {(o.person_id, o.service, o.trigger) for o in uow.support.offers()
                    if o.la_code == AREA_NOT_KNOWN}  # fmt: skip
        placed = [t for t in truth if key(uow, t) not in unplaced]
    assert sum(r.offers_due for r in rows.values()) == len(truth)  # every offer is reported
    for la in {t["la_code"] for t in placed}:
        mine = [t for t in placed if t["la_code"] == la]
        fates = Counter(t["fate"] for t in mine)
        r = rows[la]
        assert r.offers_due == len(mine)
        assert (r.on_time, r.late, r.never_made, r.pending) == (
            fates["on_time"], fates["late"], fates["never_made"], fates["pending"]
        )  # fmt: skip
        assert r.declined == sum(t["outcome"] == "declined" for t in mine)
        assert r.victims == len({t["person_id"] for t in mine})
