"""Real-time resolve latency: one new record scored against the store and decided.

    python benchmarks/resolve_latency.py REGION_DIR [--sample 300]

Links the region's person records (minus a held-out sample), then resolves each held-out
record one at a time with the compiled scorer (and the first 20 with Splink's predict_between
for comparison), printing p50/p95/p99 latency and how often the decision was right.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from linkage import machine, region_input

from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.identity.ports import InMemoryIdentityRepository
from safeguard.identity.resolve import decide
from safeguard.identity.service import link_records
from safeguard.identity.stable import reassign


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("region", type=Path)
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    records, truth = region_input(args.region, no_nhs=False)
    person = dict(zip(truth["record_id"], truth["person_id"], strict=True))
    held = records.sample(args.sample, random_state=1)
    store = records.drop(held.index)
    engine = LinkageEngine()
    engine.load_frame(store)
    start = time.perf_counter()
    result = link_records(engine)
    repo = InMemoryIdentityRepository()
    assignment = reassign({}, result.clusters, repo.next_child_ref).assignment
    engine.enable_realtime()
    print(f"machine: {machine()}")
    print(f"store: {len(store):,} records linked in {time.perf_counter() - start:.0f} s")
    ref_people: dict[str, set[str]] = {}
    for record_id, ref in assignment.items():
        ref_people.setdefault(ref, set()).add(person[record_id])
    timings, right, decisions = [], 0, {"join": 0, "create": 0, "review": 0}
    for rec in held.to_dict("records"):
        t = time.perf_counter()
        scores = engine.score_new_record_fast(rec)
        outcome = decide(rec["record_id"], scores, assignment, repo.next_child_ref)
        timings.append(time.perf_counter() - t)
        decisions[outcome.decision] += 1
        true_person = person[rec["record_id"]]
        known = any(true_person in people for people in ref_people.values())
        if outcome.decision == "join":
            right += true_person in ref_people[outcome.child_ref]
        else:
            right += not known
    splink = []
    for rec in held.head(20).to_dict("records"):
        t = time.perf_counter()
        engine.score_new_record(rec)
        splink.append(time.perf_counter() - t)
    ms = np.array(timings) * 1000
    print(
        f"compiled scorer + decision, {len(ms)} records: p50 {np.percentile(ms, 50):.1f} ms, "
        f"p95 {np.percentile(ms, 95):.1f} ms, p99 {np.percentile(ms, 99):.1f} ms"
    )
    print(f"Splink predict_between, 20 records: median {np.median(splink) * 1000:.0f} ms")
    print(
        f"decisions {decisions}; right {right / len(ms):.3f} (join to the true child's ref, "
        "or create/review when the store has no record of that person)"
    )


if __name__ == "__main__":
    main()
