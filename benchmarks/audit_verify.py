"""`safeguard audit verify` throughput: entries/s walking the hash chain in PostgreSQL.

    python -m benchmarks.audit_verify [--entries 1000000] [--postgres URL]

A fresh database gets N chained entries (COPY, checkpoints every 1,000), then the whole chain is
verified in batches the way the command does.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from benchmarks.common import POSTGRES, postgres_database
from benchmarks.machine import machine_line
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.domain.audit import GENESIS_HASH, AuditEntry, checkpoint_signature


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    name = f"sg_bench_audit_{uuid.uuid4().hex[:8]}"
    with postgres_database(args.postgres, name) as url:
        settings = Settings(database_url=url, environment="test")
        platform = bootstrap(settings)
        start, prev = datetime(2026, 1, 1, tzinfo=UTC), GENESIS_HASH
        t0 = time.perf_counter()
        with platform.engine.begin() as conn:
            raw = conn.connection.driver_connection
            cols = [f.name for f in dataclasses.fields(AuditEntry)]
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY audit_log ({', '.join(cols)}) FROM STDIN") as cp,
            ):  # type: ignore[union-attr]
                marks = []
                for seq in range(1, args.entries + 1):
                    e = AuditEntry(seq, start + timedelta(seconds=seq), f"user{seq % 50}",
                                   "practitioner", "CSC-E08000018", "case work",
                                   "chronology.read", f"person:{seq % 9973:032x}", "allowed",
                                   "{}", prev)  # fmt: skip
                    e = dataclasses.replace(e, entry_hash=e.computed_hash())
                    cp.write_row([getattr(e, c) for c in cols])
                    prev = e.entry_hash
                    if seq % 1000 == 0 or seq == args.entries:
                        marks.append((seq, prev))
            previous = ""  # chained: each checkpoint signs the one before it
            for seq, digest in marks:
                signature = checkpoint_signature(settings.secret_key, seq, digest, previous)
                conn.execute(
                    text(
                        "INSERT INTO audit_checkpoints (seq, entry_hash, signed_at, signature, "
                        "prev_signature) VALUES (:s, :h, now(), :g, :p)"
                    ),
                    {"s": seq, "h": digest, "g": signature, "p": previous},
                )
                previous = signature
        loaded = time.perf_counter() - t0
        t1 = time.perf_counter()
        result = platform.audit.verify()
        elapsed = time.perf_counter() - t1
        platform.close()
        assert result.intact and result.checked == args.entries, result
        print(f"Audit verify, {args.entries:,} entries — {machine_line()}")
        print("| entries | checkpoints | load s | verify s | entries/s |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| {args.entries:,} | {result.checkpoints:,} | {loaded:.0f} | {elapsed:.1f} | "
              f"{args.entries / elapsed:,.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
