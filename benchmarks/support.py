"""School view latency (issue 17) beside the chronology read, in the same run: p50/p95/p99 of
the school mental-health lead's page (service call: the role check, the lead's school, the
pupils needing support, their offers and events, the school's own records, the audit append)
and of `GET chronology`, with N events in PostgreSQL and concurrent clients.

    python -m benchmarks.support [--events 1000000] [--clients 8] [--requests 2000]
                                 [--pupils 1000] [--victim-share 0.05] [--postgres URL]

The store is loaded as benchmarks/chronology.py loads it (children = events / 10), then with COPY:
each child an education record and a place on a school roll (``--pupils`` a school), and a share
of the children victims owed three offers (ISVA, CAMHS, school team) with a support event each.
Each client alternates a school view (a random school's lead) and a chronology read (a random
child). Target (issue 17): school view p99 < 50 ms at 1M children with 8 clients.
"""

from __future__ import annotations

import argparse
import random
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks.chronology import _copy, load, person_id
from benchmarks.common import POSTGRES, percentiles, postgres_database
from benchmarks.machine import machine_line
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings

EDU = "EDU-E08000018"
SERVICES = (("isva", "POLICE-E23000011"), ("camhs", "HEALTH-E08000018"), ("mhst", EDU))


def school(i: int, pupils: int) -> str:
    return f"{100000 + i // pupils}"


def load_support(platform: Platform, children: int, pupils: int, share: float) -> int:
    """Education records, school rolls, offers and support events for ``children``."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    victims = [i for i in range(children) if rng.random() < share]
    t0 = time.perf_counter()
    with platform.engine.begin() as conn:
        conn.execute(text("SET session_replication_role = replica"))
        _copy(conn, "source_records",
              "agency_code, local_id, version, is_current, content_hash, submission_id, "
              "person_id, first_name, surname, dob, sex, postcode, ethnicity, nationality",
              (f"{EDU}\tU{i}\t1\tt\tx\t1\t{person_id(i)}\tPupil\tN{i}\t2012-01-0{1 + i % 9}\tF\t"
               f"S60 1AA\t13\tGBR\n" for i in range(children)))  # fmt: skip
        _copy(conn, "support_pupils", "person_id, school_urn, agency_code, record_local_id, since",
              (f"{person_id(i)}\t{school(i, pupils)}\t{EDU}\tU{i}\t2023-09-04\n"
               for i in range(children)))  # fmt: skip

        def offers() -> list[str]:
            lines = []
            for i in victims:
                seen = start + timedelta(days=rng.randrange(400))
                for service, agency in SERVICES:
                    lines.append(
                        f"{person_id(i)}\tE08000018\t{service}\tcsae_victim\tevent:x/{i}\t"
                        f"{agency}\t{seen.isoformat()}\t{(seen + timedelta(days=2)).isoformat()}"
                        f"\toffered\t{(seen + timedelta(days=1)).isoformat()}\t{now.isoformat()}\n"
                    )
            return lines

        _copy(
            conn,
            "support_offers",
            "person_id, la_code, service, situation, trigger, responsible_agency, "
            "identified_at, due_at, status, first_contact_at, created_at",
            iter(offers()),
        )
        _copy(conn, "support_events",
              "person_id, service, action, at, agency_code, recorded_by, source",
              (f"{person_id(i)}\t{s}\toffered\t{now.isoformat()}\t{a}\tbench\tfeed\n"
               for i in victims for s, a in SERVICES))  # fmt: skip
    with platform.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"support: {children:,} pupils in {children // pupils + 1:,} schools, "
          f"{len(victims):,} victims, {3 * len(victims):,} offers in "
          f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    return len(victims)


def run(
    platform: Platform, children: int, pupils: int, clients: int, requests: int
) -> tuple[list[float], list[float], float]:
    tag = uuid.uuid4().hex[:6]
    officer = platform.accounts.authenticate(
        platform.accounts.add_user(f"bench-{tag}", "POLICE-E23000011", ["practitioner"])
    )
    schools = sorted({school(i, pupils) for i in range(children)})
    leads = []
    for k, urn in enumerate(random.Random(5).sample(schools, min(len(schools), 64))):
        name = f"lead-{tag}-{k}"
        leads.append(platform.accounts.authenticate(
            platform.accounts.add_user(name, EDU, ["school_mh_lead"])))  # fmt: skip
        platform.school.assign(name, urn)
    assert officer is not None and all(leads)
    per_client = requests // clients
    views: list[float] = []
    reads: list[float] = []
    pupils_shown: list[int] = []
    lock = threading.Lock()

    def client(k: int, count: int, record: bool) -> None:
        rng = random.Random(k)
        mine_v, mine_r, shown = [], [], []
        for _ in range(count):
            lead = rng.choice(leads)
            t0 = time.perf_counter()
            view = platform.school.view(lead)  # type: ignore[arg-type]
            mine_v.append((time.perf_counter() - t0) * 1000)
            shown.append(len(view.pupils))
            t0 = time.perf_counter()
            platform.sharing.chronology(officer, person_id(rng.randrange(children)), "benchmark")
            mine_r.append((time.perf_counter() - t0) * 1000)
        if record:
            with lock:
                views.extend(mine_v)
                reads.extend(mine_r)
                pupils_shown.extend(shown)

    for record, count in ((False, max(10, per_client // 10)), (True, per_client)):
        threads = [threading.Thread(target=client, args=(k, count, record)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return views, reads, sum(pupils_shown) / max(len(pupils_shown), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--pupils", type=int, default=1000, help="pupils a school")
    parser.add_argument("--victim-share", type=float, default=0.05)
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    name = f"sg_bench_support_{uuid.uuid4().hex[:8]}"
    with postgres_database(args.postgres, name) as url:
        platform = bootstrap(Settings(database_url=url, environment="test"))
        children = load(platform, args.events)
        load_support(platform, children, args.pupils, args.victim_share)
        views, reads, shown = run(platform, children, args.pupils, args.clients, args.requests)
        platform.close()
    v, r = percentiles(views), percentiles(reads)
    print(
        f"School view beside chronology, {args.events:,} events, {children:,} children, "
        f"{args.clients} clients — {machine_line()}"
    )
    print("| read | requests | p50 ms | p95 ms | p99 ms | target p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| school view ({shown:.0f} pupils shown of {args.pupils:,}) | {len(views):,} | "
        f"{v[0]:.1f} | {v[1]:.1f} | {v[2]:.1f} | < 50 ms |"
    )
    print(f"| chronology | {len(reads):,} | {r[0]:.1f} | {r[1]:.1f} | {r[2]:.1f} | < 50 ms |")
    print(f"| ratio school / chronology | | {v[0] / r[0]:.2f} | {v[1] / r[1]:.2f} | "
          f"{v[2] / r[2]:.2f} | |")  # fmt: skip


if __name__ == "__main__":
    main()
