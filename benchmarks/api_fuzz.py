"""The long API fuzz: schemathesis over the app's own OpenAPI schema, in-process, every operation
as every role, many examples each (valid and invalid input, and examples whose path parameters
name the seeded child, alert and share). Prints per operation: examples, status codes seen,
distinct failures and time. Exits 1 if anything failed.

    python -m benchmarks.api_fuzz [--examples 100] [--roles mash,analyst] [--seed 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict

from schemathesis import GenerationMode
from tests.api_fuzz import OperationRun, fuzz_operation, load_schema, operations, real_ids
from tests.api_world import seeded_world

from benchmarks.machine import machine_line
from safeguard.accounts.roles import ROLES
from safeguard.api import create_app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="per operation, role and mode")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    roles = [r for r in args.roles.split(",") if r]
    started = time.perf_counter()
    total_examples = total_failures = operation_count = 0
    print(machine_line())
    print(f"{'operation':58} {'examples':>8} {'failures':>8} {'seconds':>8}  statuses")
    with tempfile.TemporaryDirectory() as folder, seeded_world(f"sqlite:///{folder}/s.db") as w:
        schema = load_schema(create_app(w.platform))
        ids = real_ids(w)
        for operation in operations(schema):
            names = {p.name for p in operation.path_parameters}
            runs: list[OperationRun] = []
            for role in roles:
                token = w.tokens[role]
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    runs.append(
                        fuzz_operation(operation, role, token, args.examples, args.seed, mode=mode)
                    )
                if names:
                    known = {n: ids[n] for n in names}
                    runs.append(
                        fuzz_operation(
                            operation, role, token, args.examples // 4 or 1, args.seed, known
                        )
                    )
            examples, failures = report(operation.label, runs)
            total_examples += examples
            total_failures += failures
            operation_count += 1
    elapsed = time.perf_counter() - started
    print(
        f"{operation_count} operations x {len(roles)} roles: {total_examples} examples, "
        f"{total_failures} distinct failures, {elapsed:.0f} s"
    )
    return 1 if total_failures else 0


def report(label: str, runs: list[OperationRun]) -> tuple[int, int]:
    """Print one operation's line (and its failures); return its examples and failures."""
    statuses: dict[int, int] = defaultdict(int)
    for run in runs:
        for code, n in run.statuses.items():
            statuses[code] += n
    examples = sum(r.examples for r in runs)
    failures = sorted({f for r in runs for f in r.failures})
    seconds = sum(r.seconds for r in runs)
    shown = " ".join(f"{c}:{n}" for c, n in sorted(statuses.items()))
    print(f"{label:58} {examples:8} {len(failures):8} {seconds:8.1f}  {shown}", flush=True)
    for failure in failures:
        print(f"    FAILED {failure}", flush=True)
    return examples, len(failures)


if __name__ == "__main__":
    sys.exit(main())
