"""Benchmark: time and peak memory of ``generate_region`` for 10k, 100k and 1M children.

Each size runs in its own process so its peak RSS is its own. Prints a table with the machine.
Usage: ``python benchmarks/synth.py [--sizes 10000,100000,1000000] [--out /tmp/sg-bench]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _one(children: int, out: Path, seed: int) -> None:
    from safeguard.synth import generate_region

    start = time.perf_counter()
    s = generate_region(out, children, seed)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = sum(p.stat().st_size for p in out.rglob("*.csv"))
    print(
        json.dumps(
            {
                "children": s.children,
                "persons": s.persons,
                "records": s.total_records,
                "events": s.events,
                "seconds": round(seconds, 1),
                "peak_rss_mib": round(peak_kib / 1024),
                "output_mib": round(size / 2**20),
            }
        )
    )


def _machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.platform()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {mem:.1f} GiB RAM"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--out", default="/tmp/safeguard-bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the generated folders")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        _one(args.one, Path(args.out), args.seed)
        return
    print(f"machine: {_machine()}")
    cols = ("children", "persons", "records", "events", "seconds", "peak_rss_mib", "output_mib")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for size in (int(s) for s in args.sizes.split(",")):
        out = Path(args.out) / f"n{size}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, __file__, "--one", str(size), "--out", str(out)]
        result = subprocess.run(cmd + ["--seed", str(args.seed)], check=True, capture_output=True)
        row = json.loads(result.stdout.decode().strip().splitlines()[-1])
        print("| " + " | ".join(f"{row[c]:,}" for c in cols) + " |", flush=True)
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
