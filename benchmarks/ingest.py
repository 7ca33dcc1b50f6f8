"""Ingest throughput: rows/s for person records and events into SQLite and PostgreSQL.

    python benchmarks/ingest.py [--rows 100000] [--postgres URL]

Each store gets a fresh database; the same files go to both in the same run.
Target (issue 2): at least 20,000 rows/s into SQLite and 10,000 rows/s into PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import tempfile
import time
import uuid
from datetime import date, timedelta

from benchmarks.common import POSTGRES, postgres_database
from benchmarks.machine import machine_line
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import Account
from safeguard.domain.nhs import nhs_check_digit

AGENCY = "POLICE-E23000011"
FIRST = ["Amelia", "Olivia", "Isla", "Aisha", "Maryam", "Jack", "Noah", "Mohammed", "Leo", "Zara"]
LAST = ["Smith", "Jones", "Khan", "Hussain", "Taylor", "Brown", "Ali", "Wilson", "Patel", "Evans"]


def _nhs(rng: random.Random) -> str:
    while True:
        nine = f"{rng.randrange(10**8, 10**9)}"
        check = nhs_check_digit(nine)
        if check is not None:
            return nine + str(check)


def make_files(rows: int, seed: int = 1) -> tuple[bytes, bytes]:
    rng = random.Random(seed)
    people, events = io.StringIO(), io.StringIO()
    pw = csv.writer(people, lineterminator="\n")
    pw.writerow(
        [
            "local_id",
            "first_name",
            "surname",
            "dob",
            "sex",
            "postcode",
            "nhs_number",
            "ethnicity",
            "nationality",
        ]
    )
    for i in range(rows):
        dob = date(2005, 1, 1) + timedelta(days=rng.randrange(6500))
        pw.writerow(
            [
                f"P{i}",
                rng.choice(FIRST),
                rng.choice(LAST),
                dob.isoformat(),
                rng.choice("MF"),
                f"S6{rng.randrange(6)} {rng.randrange(10)}AB",
                _nhs(rng) if rng.random() < 0.5 else "",
                rng.choice(["W1", "A2", "NS"]),
                rng.choice(["GBR", "NS", "GBR;PAK"]),
            ]
        )
    ew = csv.writer(events, lineterminator="\n")
    ew.writerow(["local_id", "event_type", "occurred_at", "participants", "objects"])
    for i in range(rows):
        when = date(2023, 1, 1) + timedelta(days=rng.randrange(600))
        ew.writerow(
            [f"E{i}", "missing_episode", when.isoformat(), f"subject:P{rng.randrange(rows)}", ""]
        )
    return people.getvalue().encode(), events.getvalue().encode()


def run(url: str, people: bytes, events: bytes, rows: int) -> tuple[float, float, float, float]:
    """Rows/s for each file (wall clock) and this process's CPU seconds for each; the CPU
    figure is steadier than the rate when other work shares the cores (PostgreSQL's own
    server time is not in it)."""
    platform = bootstrap(Settings(database_url=url, environment="test"))
    who = Account("bench", "agency_system", AGENCY)
    out: list[float] = []
    for content, name in ((people, "persons.csv"), (events, "events.csv")):
        start, cpu = time.perf_counter(), time.process_time()
        result = platform.ingest.submit(content, name, AGENCY, who)
        out += [rows / (time.perf_counter() - start), time.process_time() - cpu]
        assert result.new_records == rows, result
    platform.close()
    return out[0], out[2], out[1], out[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    people, events = make_files(args.rows)
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(
            ("SQLite", 20_000, *run(f"sqlite:///{folder}/bench.db", people, events, args.rows))
        )
    with postgres_database(args.postgres, f"sg_bench_{uuid.uuid4().hex[:8]}") as url:
        results.append(("PostgreSQL", 10_000, *run(url, people, events, args.rows)))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Ingest throughput, {args.rows:,} rows per file — {machine_line()}")
    print(f"Load average at the start: {load_before}; at the end: {load}")
    print(
        "| store | persons rows/s | events rows/s | target rows/s | ratio to target "
        "| client CPU s (persons, events) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for store, target, p_rate, e_rate, p_cpu, e_cpu in results:
        print(
            f"| {store} | {p_rate:,.0f} | {e_rate:,.0f} | {target:,} | "
            f"{min(p_rate, e_rate) / target:.2f}× | {p_cpu:.1f}, {e_cpu:.1f} |"
        )


if __name__ == "__main__":
    main()
