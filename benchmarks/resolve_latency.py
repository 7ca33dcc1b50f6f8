"""Real-time resolve latency: one new record scored against the store and decided.

    python benchmarks/resolve_latency.py REGION_DIR [--sample 300] [--splink 50] [--store DIR]

Links the region's person records (minus a held-out sample) in a child process, or reuses the
linked store saved in ``--store`` (the model and the assignment; the records come from the
region). Then resolves each held-out record in turn, as the service does: the in-memory
scorer finds and scores its candidates, ``decide`` joins, creates or queues, and the record
joins the store (index and assignment) before the next one. The first ``--splink`` records are
also scored with Splink's ``predict_between`` (the named baseline) against the same store and
decided by the same rule. Prints p50/p95/p99 of both, the ratio, and how often each decision
was right.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from linkage import machine, region_input

from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.domain.child_ref import format_child_ref
from safeguard.identity.ports import InMemoryIdentityRepository
from safeguard.identity.resolve import Resolution, decide
from safeguard.identity.service import link_records
from safeguard.identity.stable import reassign


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _held_out(region: Path, sample: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    records, truth = region_input(region, no_nhs=False)
    person = dict(zip(truth["record_id"], truth["person_id"], strict=True))
    held = records.sample(sample, random_state=1)
    return records.drop(held.index), held, person


def build_store(region: str, sample: int, out: str, memory_limit: str) -> None:
    """Link the store (region minus the held-out sample) and save the model and assignment."""
    start = time.perf_counter()
    store, _held, _person = _held_out(Path(region), sample)
    engine = LinkageEngine()
    engine.con.execute(f"SET memory_limit = '{memory_limit}'").fetchall()
    spill = Path(out) / "duckdb-spill"  # not the working directory (a checkout)
    engine.con.execute(f"SET temp_directory = '{spill}'").fetchall()
    engine.load_frame(store)
    del store
    result = link_records(engine)
    assignment = reassign({}, result.clusters, InMemoryIdentityRepository().next_child_ref)
    frame = pd.DataFrame(list(assignment.assignment.items()), columns=["record_id", "child_ref"])
    frame.to_parquet(Path(out) / "assignment.parquet")
    (Path(out) / "model.json").write_text(result.model_json)
    info = {"seconds": time.perf_counter() - start, "peak_gib": _peak_gib(), **result.timings}
    (Path(out) / "link.json").write_text(json.dumps(info))


def _percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    return " ".join(f"p{q} {np.percentile(ms, q):7.1f} ms" for q in (50, 95, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("region", type=Path)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--splink", type=int, default=50, help="records for the baseline")
    parser.add_argument("--store", type=Path, help="save the linked store here, or reuse it")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB's limit while linking")
    args = parser.parse_args()
    store_dir = args.store or Path(tempfile.mkdtemp(prefix="sg-resolve-"))
    store_dir.mkdir(parents=True, exist_ok=True)
    if not (store_dir / "assignment.parquet").exists():
        child = mp.get_context("spawn").Process(
            target=build_store,
            args=(str(args.region), args.sample, str(store_dir), args.memory_limit),
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"linking the store failed (exit code {child.exitcode})")
    link = json.loads((store_dir / "link.json").read_text())
    store, held, person = _held_out(args.region, args.sample)
    frame = pd.read_parquet(store_dir / "assignment.parquet")
    assignment = dict(zip(frame["record_id"], frame["child_ref"], strict=True))
    del frame
    start = time.perf_counter()
    engine = LinkageEngine()
    engine.load_frame(store)
    engine.prepare()
    engine.load_model((store_dir / "model.json").read_text())
    engine.enable_realtime()
    warm = time.perf_counter() - start
    print(f"machine: {machine()}")
    print(
        f"store: {len(store):,} records; linked in {link['seconds']:.0f} s "
        f"(peak {link['peak_gib']:.1f} GiB, {store_dir}); warm-up (standardise, "
        f"index, compile) {warm:.0f} s, peak {_peak_gib():.2f} GiB so far"
    )
    del store
    ref_people: dict[str, set[str]] = {}
    for record_id, ref in assignment.items():
        ref_people.setdefault(ref, set()).add(person[record_id])
    known = {p for people in ref_people.values() for p in people}
    serials = itertools.count(10**7)  # never a reference the linked store holds

    def right(rec_id: str, outcome: Resolution) -> bool:
        if outcome.decision == "join":
            return person[rec_id] in ref_people[outcome.child_ref]
        return person[rec_id] not in known

    fast, fast_right, baseline, baseline_right, agree = [], [], [], [], 0
    decisions = {"join": 0, "create": 0, "review": 0}
    load_start = os.getloadavg()
    for i, rec in enumerate(held.to_dict("records")):
        rec_id = rec["record_id"]
        if i < args.splink:  # the baseline first, on the same store, by the same rule
            t = time.perf_counter()
            scores = engine.score_new_record(rec)
            ids = set(scores["record_id_l"])
            refs = {r: assignment[r] for r in ids if r in assignment}
            slow = decide(rec_id, scores, refs, lambda: "SG-baseline")
            baseline.append(time.perf_counter() - t)
            baseline_right.append(right(rec_id, slow))
        t = time.perf_counter()
        pairs = engine.score_new_pairs(rec)
        refs = {
            p["record_id_l"]: assignment[p["record_id_l"]]
            for p in pairs
            if p["record_id_l"] in assignment
        }
        outcome = decide(rec_id, pairs, refs, lambda: format_child_ref(next(serials)))
        engine.add_realtime_record(rec)
        fast.append(time.perf_counter() - t)
        fast_right.append(right(rec_id, outcome))
        decisions[outcome.decision] += 1
        if i < args.splink:
            same_ref = outcome.decision != "join" or outcome.child_ref == slow.child_ref
            agree += outcome.decision == slow.decision and same_ref
        assignment[rec_id] = outcome.child_ref
        ref_people.setdefault(outcome.child_ref, set()).add(person[rec_id])
        known.add(person[rec_id])
    n = len(baseline)
    print(
        f"load average at start {load_start[0]:.2f} {load_start[1]:.2f}, "
        f"at end {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; peak {_peak_gib():.2f} GiB"
    )
    print(f"{'method':<40} {'records':>7}  {'latency':<40} right")
    print(
        f"{'in-memory index + Python scorer':<40} {len(fast):>7}  {_percentiles(fast)}  "
        f"{np.mean(fast_right):.3f}"
    )
    print(
        f"{'  the same, first ' + str(n):<40} {n:>7}  {_percentiles(fast[:n])}  "
        f"{np.mean(fast_right[:n]):.3f}"
    )
    print(
        f"{'Splink predict_between (baseline)':<40} {n:>7}  {_percentiles(baseline)}  "
        f"{np.mean(baseline_right):.3f}"
    )
    ratio = [np.percentile(baseline, q) / np.percentile(fast[:n], q) for q in (50, 95, 99)]
    print(
        f"baseline / in-memory on the same {n} records: p50 {ratio[0]:.0f}x, "
        f"p95 {ratio[1]:.0f}x, p99 {ratio[2]:.0f}x; same decision and reference {agree}/{n}"
    )
    print(
        f"decisions {decisions} (right = joined to the true child's reference, or created "
        "when the store held no record of that person)"
    )


if __name__ == "__main__":
    main()
