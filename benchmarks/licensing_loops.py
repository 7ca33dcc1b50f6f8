"""The licensing loops on synthetic regions, through the store: the sweep and out-of-area.

    python -m benchmarks.licensing --sweep [--children 20000] [--tune-seed 1] [--seeds 2 3]

Each seed's region is generated, its licensing and police feeds ingested into a fresh SQLite
store, and then, as the platform runs them:

- **baseline** (before the sweep): the safeguarding-event notices (`raise_notices`), which
  were the only way an authority heard about a licence it had granted;
- **sweep**: `sync` (every new register entry swept against every current licence) and the
  nightly `sweep`, timed; notices scored against `truth/licence_loopholes.csv`;
- **out-of-area**: plates working away from their authority (the rule before this change:
  3 sightings on 2 days) and plates *of concern* (the shipped rule), scored at plate level
  against `truth/out_of_area_offenders.csv`.

The concern rule is tuned on `--tune-seed` only (a grid of nights and night hours) and
reported on the other seeds, pooled; the tuning seed is never evaluated.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.licensing_loop_evaluation import (
    Quality,
    flagged_loopholes_by_other_notices,
    offender_plates,
    score_out_of_area,
    score_sweep,
    tune,
)
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.licensing import oversight
from safeguard.licensing.out_of_area import ConcernRule, Sighting, detect
from safeguard.licensing.settings import load_licensing_settings
from safeguard.store.licensing_repository import HOTSPOT_EVENTS
from safeguard.synth.region import generate_region

Case = tuple[list[Sighting], dict[str, str], dict[str, str], set[str], set[str]]


@dataclass
class SeedRun:
    seed: int
    sightings: int
    ingest_s: float
    sweep_s: float
    nightly_s: float
    baseline: Quality
    sweep: Quality
    case: Case


def run_seed(children: int, seed: int, work: Path) -> SeedRun:
    folder = work / f"region-{seed}"
    generate_region(folder, children, seed)
    platform = bootstrap(
        Settings(database_url=f"sqlite:///{work}/store-{seed}.db", environment="test")
    )
    try:
        t0 = time.perf_counter()
        for job in ingest_jobs(folder, None, None):
            if job.agency.startswith(("LIC-", "POLICE-")):
                submit_job(platform.ingest, job)
        t1 = time.perf_counter()
        actor = CLI_SUBMITTER.operator()
        lic = platform.licensing
        lic.raise_notices(actor)
        baseline = flagged_loopholes_by_other_notices(folder, lic.notices())
        t2 = time.perf_counter()
        lic.sync(actor)  # every entry swept against every current licence as it is added
        t3 = time.perf_counter()
        again = lic.sweep(actor)  # the nightly run: nothing new, by construction
        t4 = time.perf_counter()
        assert again == 0, "the nightly sweep raised notices that adding the entries had not"
        swept = score_sweep(folder, lic.notices())
        with platform.uow() as uow:
            sightings = oversight.stored_sightings(uow)
            plates, _ = oversight.licensed(uow)
            hotspots = uow.licensing.event_postcodes(HOTSPOT_EVENTS)
        outward = {oc: a.la_code for a in platform.codes.areas for oc in a.outward_codes}
    finally:
        platform.close()
    case = (sightings, plates, outward, hotspots, offender_plates(folder))
    return SeedRun(seed, len(sightings), t1 - t0, t3 - t2, t4 - t3, baseline, swept, case)


def grid() -> list[ConcernRule]:
    return [
        ConcernRule(min_nights=n, night_from=start, night_to=6)
        for n in range(1, 7)
        for start in (18, 20, 22)
    ]


def pooled(qs: list[Quality]) -> Quality:
    found = sum(q.hits if q.found is None else q.found for q in qs)
    return Quality(sum(q.hits for q in qs), sum(q.predicted for q in qs),
                   sum(q.truth for q in qs), found)  # fmt: skip


def _fmt(q: Quality) -> str:
    return f"{q.precision:.2f} | {q.recall:.2f} | {q.truth}"


def main(children: int, tune_seed: int, seeds: list[int]) -> None:
    from benchmarks.machine import machine_line, peak_rss_mib

    if tune_seed in seeds:
        raise SystemExit("the tuning seed must not be among the evaluation seeds")
    s = load_licensing_settings()
    working = (s.min_sightings, s.min_days)
    with tempfile.TemporaryDirectory(prefix="sg-loops-") as tmp:
        start = time.perf_counter()
        tuning = run_seed(children, tune_seed, Path(tmp))
        ranked = tune([tuning.case], working, grid())
        runs = [run_seed(children, seed, Path(tmp)) for seed in seeds]
        wall = time.perf_counter() - start
    best, best_q = ranked[0]
    print(machine_line())  # noqa: T201
    told = ", ".join(map(str, seeds))
    print(f"\nchildren per seed {children:,}; tuned on seed {tune_seed}, reported on seeds "  # noqa: T201
          f"{told}; wall {wall:.0f} s; peak RSS {peak_rss_mib():,.0f} MiB")  # fmt: skip
    print(f"\ntuning (seed {tune_seed}, top 5 of {len(ranked)}): min_nights, night_from → P, R")  # noqa: T201
    for rule, q in ranked[:5]:
        print(f"  {rule.min_nights}, {rule.night_from}:00 → {q.precision:.2f}, {q.recall:.2f}")  # noqa: T201
    shipped = s.concern
    same = (shipped.min_nights, shipped.night_from) == (best.min_nights, best.night_from)
    print(
        f"  shipped rule: {shipped.min_nights} nights from {shipped.night_from}:00 "  # noqa: T201
        f"({'the tuned choice' if same else 'differs from the tuned choice ' + str(best)})"
    )
    print("\n| seed | sightings | ingest s | sweep on add s | nightly sweep s |")  # noqa: T201
    print("|---|---|---|---|---|")  # noqa: T201
    for r in runs:
        print(
            f"| {r.seed} | {r.sightings:,} | {r.ingest_s:.1f} | {r.sweep_s:.2f} "  # noqa: T201
            f"| {r.nightly_s:.2f} |"
        )
    sweep_before = pooled([r.baseline for r in runs])
    sweep_after = pooled([r.sweep for r in runs])
    work_q, concern_q = [], []
    for r in runs:
        sightings, plates, outward, hotspots, truth = r.case
        work_q.append(score_out_of_area(detect(sightings, plates, outward, *working),
                                        truth, concern=False))  # fmt: skip
        found = detect(sightings, plates, outward, *working, shipped, hotspots)
        concern_q.append(score_out_of_area(found, truth, concern=True))
    before, after = pooled(work_q), pooled(concern_q)
    print("\n| measure (evaluation seeds pooled) | precision | recall | truth |")  # noqa: T201
    print("|---|---|---|---|")  # noqa: T201
    # before the sweep, a plate notice about the driver is all an authority could be told;
    # its precision is not defined (those notices are about events, not refusals)
    print("| loophole licences told, before (event notices only) | – "  # noqa: T201
          f"| {sweep_before.recall:.2f} | {sweep_before.truth} |")  # fmt: skip
    print(f"| loophole licences told, sweep | {_fmt(sweep_after)} |")  # noqa: T201
    print(f"| out-of-area offenders, before (3 sightings on 2 days) | {_fmt(before)} |")  # noqa: T201
    print(f"| out-of-area offenders, concern rule | {_fmt(after)} |")  # noqa: T201


def scale(licences: int, entries: int) -> None:
    """Time the nightly sweep's matching of ``licences`` current licences against a register
    of ``entries`` (numpy-generated identities, as the check benchmark; no store)."""
    from datetime import date

    from benchmarks.licensing import register
    from benchmarks.machine import machine_line
    from safeguard.licensing.sweep import CurrentLicence, sweep

    s = load_licensing_settings()
    _, idents = register(entries, seed=1)
    rows = [
        {"id": i, "authority": "E08000018", "decision": "refused", "decided_on": date(2020, 1, 1),
         "reason": "not_stated", "first_name": x.first_name, "middle_name": None,
         "surname": x.surname, "other_names": "", "dob": x.dob, "sex": x.sex, "postcode": None,
         "driving_licence": x.driving_licence}
        for i, x in enumerate(idents)
    ]  # fmt: skip
    _, drivers = register(licences, seed=5)
    current = [CurrentLicence(i, "E08000005", date(2022, 1, 1), x) for i, x in enumerate(drivers)]
    start = time.perf_counter()
    found = sweep(current, rows, s.match, s.retention_years)
    took = time.perf_counter() - start
    print(machine_line())  # noqa: T201
    print(f"| licences | entries | seconds | licences/s | flagged (strangers: same DVLA number "  # noqa: T201
          f"or a possible match) |\n|---|---|---|---|---|\n| {licences:,} | {entries:,} "
          f"| {took:.1f} | {licences / took:,.0f} | {len(found):,} |")  # fmt: skip
