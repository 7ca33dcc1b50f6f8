"""Chronology latency: p50/p95/p99 of `GET chronology` (service call: need-to-know check, the
indexed read and the audit append) with N events in PostgreSQL and 8 concurrent clients.

    python -m benchmarks.chronology [--events 10000000] [--clients 8] [--requests 4000]
                                    [--postgres URL] [--keep]

A fresh database is created, migrated, and loaded with COPY (children = events / 10, each with
one police record; events spread over the children at random). Target (issue 5): p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks.common import POSTGRES, database_url, percentiles, postgres_database
from benchmarks.machine import machine_line
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.store.tables import event_participants, events

AGENCIES = ["POLICE-E23000011", "CSC-E08000018", "HEALTH-E08000018", "EDU-E08000018"]
TYPES = {
    "POLICE-E23000011": "missing_episode",
    "CSC-E08000018": "strategy_discussion",
    "HEALTH-E08000018": "ae_attendance",
    "EDU-E08000018": "school_absence",
}
BATCH = 200_000


def person_id(i: int) -> str:
    return f"{i:032x}"


def _copy(conn: object, table: str, columns: str, lines: Iterator[str]) -> None:
    raw = conn.connection.driver_connection  # type: ignore[attr-defined]
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= BATCH:
                copy.write("".join(buffer))
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))


def load(platform: Platform, n_events: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    children = max(1, n_events // 10)
    now = datetime.now(UTC).isoformat()
    start = datetime(2018, 1, 1, tzinfo=UTC)
    with platform.engine.begin() as conn:
        conn.execute(text("SET session_replication_role = replica"))  # skip FK triggers in bulk
        for index in [*events.indexes, *event_participants.indexes]:
            index.drop(conn)
        conn.execute(
            text(
                "INSERT INTO submissions (id, agency_code, kind, content_hash, filename, "
                "received_at, submitted_by, row_count, new_records, new_versions, unchanged) "
                "VALUES (1, 'POLICE-E23000011', 'events', 'bench', 'bench', now(), 'bench', "
                "0, 0, 0, 0)"
            )
        )
        t0 = time.perf_counter()
        _copy(conn, "persons", "id, created_at",
              (f"{person_id(i)}\t{now}\n" for i in range(children)))  # fmt: skip
        _copy(
            conn,
            "source_records",
            "agency_code, local_id, version, is_current, content_hash, submission_id, person_id, "
            "first_name, surname, dob, sex, postcode, ethnicity, nationality",
            (
                f"POLICE-E23000011\tP{i}\t1\tt\tx\t1\t{person_id(i)}\tChild\tN{i}\t"
                f"{2006 + i % 14}-0{1 + i % 9}-1{i % 9}\tF\tS60 1AA\tNS\tNS\n"
                for i in range(children)
            ),
        )

        def event_lines() -> Iterator[str]:
            for i in range(1, n_events + 1):
                agency = AGENCIES[i % 4]
                when = start + timedelta(minutes=rng.randrange(4_000_000))
                yield (
                    f"{i}\t{agency}\tE{i}\t1\tt\tx\t1\t{TYPES[agency]}\t{when.isoformat()}\t{{}}\n"
                )

        _copy(conn, "events",
              "id, agency_code, local_id, version, is_current, content_hash, submission_id, "
              "event_type, occurred_at, details", event_lines())  # fmt: skip
        rng2 = random.Random(seed + 1)
        _copy(conn, "event_participants", "id, event_id, role, record_local_id, person_id",
              (f"{i}\t{i}\tsubject\tP\t{person_id(rng2.randrange(children))}\n"
               for i in range(1, n_events + 1)))  # fmt: skip
        loaded = time.perf_counter() - t0
        t1 = time.perf_counter()
        for index in [*events.indexes, *event_participants.indexes]:
            index.create(conn)
        conn.execute(text("SELECT setval('events_id_seq', :n)"), {"n": n_events})
        conn.execute(text("SELECT setval('event_participants_id_seq', :n)"), {"n": n_events})
    with platform.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"loaded {n_events:,} events / {children:,} children in {loaded:.0f} s; "
          f"indexes and VACUUM ANALYZE {time.perf_counter() - t1:.0f} s")  # fmt: skip
    return children


def run(platform: Platform, children: int, clients: int, requests: int) -> list[float]:
    token = platform.accounts.add_user(
        f"bench-{uuid.uuid4().hex[:6]}", "POLICE-E23000011", ["practitioner"]
    )
    user = platform.accounts.authenticate(token)
    assert user is not None
    per_client = requests // clients
    latencies: list[float] = []
    lock = threading.Lock()

    def client(seed: int, count: int, record: bool) -> None:
        rng = random.Random(seed)
        mine = []
        for _ in range(count):
            child = person_id(rng.randrange(children))
            t0 = time.perf_counter()
            platform.sharing.chronology(user, child, "benchmark")
            mine.append((time.perf_counter() - t0) * 1000)
        if record:
            with lock:
                latencies.extend(mine)

    for record, count in ((False, max(20, per_client // 10)), (True, per_client)):
        threads = [threading.Thread(target=client, args=(s, count, record)) for s in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if record:
            elapsed = time.perf_counter() - started
            rate = len(latencies) / elapsed
            print(f"{len(latencies):,} requests in {elapsed:.1f} s = {rate:,.0f}/s")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", help="measure again on a database kept by --keep")
    args = parser.parse_args()
    name = args.database or f"sg_bench_chron_{uuid.uuid4().hex[:8]}"
    database = (
        nullcontext(database_url(args.postgres, name))
        if args.database
        else postgres_database(args.postgres, name, keep=args.keep)
    )
    with database as url:
        platform = bootstrap(Settings(database_url=url, environment="test"))
        if args.database:
            with platform.engine.connect() as conn:
                args.events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
                children = conn.execute(text("SELECT count(*) FROM persons")).scalar_one()
        else:
            children = load(platform, args.events)
        print(f"database {name}")
        ms = run(platform, children, args.clients, args.requests)
        p50, p95, p99 = percentiles(ms)
        platform.close()
        print(f"Chronology, {args.events:,} events, {args.clients} clients — {machine_line()}")
        print("| events | children | clients | requests | p50 ms | p95 ms | p99 ms | target p99 |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(f"| {args.events:,} | {children:,} | {args.clients} | {len(ms):,} | "
              f"{p50:.1f} | {p95:.1f} | {p99:.1f} | < 50 ms |")  # fmt: skip


if __name__ == "__main__":
    main()
