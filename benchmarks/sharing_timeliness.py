"""Sharing timeliness: the compliance report against the generator's true delays.

    python -m benchmarks.sharing_timeliness [--children 3000] [--seed 1]

A synthetic region is generated (each agency prompt, late or never sharing, its partners
recording receipts), ingested whole into a fresh SQLite store through the normal ingest
service, and the compliance report (``SharingService.report``) is compared, per agency and
duty, with truth/share_delays.csv: the median delay from recording to receipt, and the shares
never received against those the report infers were not shared. Target (issue 22): medians
within one day. Baseline in the same run: the old measure, load time minus the event's time.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks.machine import machine_line
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import ingest_jobs, submit_job
from safeguard.synth import SynthParams, generate_region


@dataclass(frozen=True)
class Comparison:
    agency: str
    obligation: str
    true_received: int
    true_never: int
    true_median: float | None
    report_on_time_or_late: int
    report_not_shared: int
    report_median: float | None
    load_time_median: float | None

    @property
    def median_error(self) -> float | None:
        if self.true_median is None or self.report_median is None:
            return None
        return abs(self.true_median - self.report_median)


def truth_delays(region: Path) -> dict[tuple[str, str], list[float | None]]:
    out: dict[tuple[str, str], list[float | None]] = defaultdict(list)
    with open(region / "truth" / "share_delays.csv") as f:
        for row in csv.DictReader(f):
            delay = float(row["delay_hours"]) if row["delay_hours"] else None
            out[(row["agency"], row["obligation"])].append(delay)
    return out


def compare(platform: Platform, region: Path) -> list[Comparison]:
    truth = truth_delays(region)
    with platform.uow_factory() as uow:
        shares = uow.shares.in_period(None, None)
    load: dict[tuple[str, str], list[float]] = defaultdict(list)
    for s in shares:
        if s.shared_at is not None:
            hours = (s.shared_at - s.occurred_at).total_seconds() / 3600
            load[(s.from_agency, s.obligation_id)].append(hours)
    rows = []
    for r in platform.sharing.report():
        delays = truth.get((r.agency, r.obligation), [])
        received = [d for d in delays if d is not None]
        base = load.get((r.agency, r.obligation))
        rows.append(
            Comparison(
                r.agency,
                r.obligation,
                len(received),
                len(delays) - len(received),
                round(statistics.median(received), 1) if received else None,
                r.on_time + r.late,
                r.not_shared,
                r.median_delay_hours,
                round(statistics.median(base), 1) if base else None,
            )
        )
    return rows


def build(children: int, seed: int, work: Path) -> tuple[Platform, Path]:
    region = work / "region"
    generate_region(region, children, seed, params=SynthParams(partner_receipts=True))
    platform = bootstrap(Settings(database_url=f"sqlite:///{work}/store.db"))
    for job in ingest_jobs(region, None, None):
        submit_job(platform.ingest, job)
    return platform, region


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        platform, region = build(args.children, args.seed, Path(tmp))
        rows = compare(platform, region)
        took = time.perf_counter() - started
    head = ("agency", "duty", "true rcvd", "rpt rcvd", "true never", "rpt not shared",
            "true median h", "rpt median h", "|error| h", "load-time median h")  # fmt: skip
    print(" | ".join(head))
    worst = 0.0
    for c in rows:
        error = c.median_error
        worst = max(worst, error or 0.0)
        print(" | ".join(str(v) for v in (
            c.agency, c.obligation, c.true_received, c.report_on_time_or_late, c.true_never,
            c.report_not_shared, c.true_median, c.report_median,
            "" if error is None else f"{error:.1f}", c.load_time_median)))  # fmt: skip
    base = [c.load_time_median for c in rows if c.load_time_median is not None]
    true = [c.true_median for c in rows if c.true_median is not None]
    ratio = statistics.median(base) / statistics.median(true) if base and true else float("nan")
    print(f"{len(rows)} agency-duty rows, {args.children:,} children, seed {args.seed}, "
          f"{took:.0f} s; worst median error {worst:.1f} h (target <= 24 h); the old "
          f"load-time measure's median is {ratio:,.0f}x the true median delay")  # fmt: skip


if __name__ == "__main__":
    main()
