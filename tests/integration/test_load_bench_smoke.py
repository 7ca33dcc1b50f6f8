"""The load benchmark end to end on a tiny SQLite store, so the script cannot rot: it builds
the store, serves it with `safeguard serve`, drives every operation and reports no errors.
The figures themselves come only from running the benchmark (docs/benchmarks.md)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import load
from sqlalchemy import create_engine, text


def test_the_load_driver_runs_every_operation_without_errors(tmp_path: Path) -> None:
    args = load.parse(
        ["--children", "120", "--las", "1", "--seed", "3", "--store", "sqlite",
         "--reuse", str(tmp_path), "--clients", "2", "--requests", "3", "--warmup", "1",
         "--sample", "200", "--feed-rows", "5", "--timeout", "120"]
    )  # fmt: skip
    outcomes, stores = load.run(args)
    assert [o.operation for o in outcomes] == list(load.OPERATIONS)
    assert all(o.requests >= 1 and not o.errors for o in outcomes), [o.errors for o in outcomes]
    assert set(stores[0].stages) == {"synth", "ingest", "link", "risk"}
    decided = next(o for o in outcomes if o.operation == "decision").requests
    engine = create_engine(stores[0].url)
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM risk_alerts WHERE decided_by LIKE 'load-mash-%'")
        ).scalar_one()
    engine.dispose()
    assert count == decided  # each alert decided once, by its MASH's user
