"""Benchmark: how long the `safeguard` command takes to start (issue: < 1 s for --help and
version), beside the baseline of loading the whole platform as the CLI once did at start.

Each command runs in a fresh interpreter, N times; prints the median and the ratio to the
baseline. Usage: ``python benchmarks/cli_start.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from benchmarks.machine import machine_line

RUN = "from safeguard.cli import main; import sys; sys.argv = ['safeguard', {}]; main()"
CASES = {
    "safeguard --help": RUN.format("'--help'"),
    "safeguard version": RUN.format("'version'"),
    "safeguard identity --help": RUN.format("'identity', '--help'"),
    "baseline: import the platform": "import safeguard.api, safeguard.bootstrap, safeguard.demo",
}


def seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    medians = {name: statistics.median(seconds(code) for _ in range(args.runs))
               for name, code in CASES.items()}  # fmt: skip
    base = medians["baseline: import the platform"]
    print(machine_line())
    print(f"| command | median s ({args.runs} runs) | ratio to baseline |")
    print("|---|---:|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} | {value / base:.2f} |")


if __name__ == "__main__":
    main()
