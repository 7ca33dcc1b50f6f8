"""Load: the served API on loopback under concurrent clients, on a store of N children.

    python -m benchmarks.load [--children 1000000] [--store sqlite|postgres|both]
                              [--clients 8] [--duration 60 | --requests 500]
                              [--reuse DIR] [--build-only]

The store is a synthetic region ingested, linked and scored (benchmarks/load_store.py; with
``--reuse DIR`` it is built once and kept). `safeguard serve` runs in a subprocess on
127.0.0.1; C asyncio clients (httpx) send each operation in turn — resolve, chronology, alert
decision, ingest (benchmarks/load_traffic.py) — for S seconds or R requests each, after a
warm-up that is not counted. Prints throughput and p50/p95/p99 per operation and exits 1 when
any request failed (a status of 400 or more, or no answer).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from benchmarks.common import POSTGRES, drop_postgres, percentiles
from benchmarks.load_store import BuiltStore, build, postgres_name
from benchmarks.load_traffic import Request, Traffic, draw_sample, grant
from benchmarks.machine import machine_line
from safeguard.bootstrap import bootstrap
from safeguard.config import Settings

OPERATIONS = ("resolve", "chronology", "decision", "ingest")
console = Console()


@dataclass
class Outcome:
    store: str
    operation: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warmup_s: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`safeguard serve` in a subprocess, as an operator runs it."""

    def __init__(self, url: str, folder: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "SAFEGUARD_DATABASE_URL": url,
            "SAFEGUARD_ENVIRONMENT": "test",
            "SAFEGUARD_DATA_DIR": str(folder),
        }
        self.log = (folder / f"serve-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from safeguard.cli import main; main()", "serve",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"safeguard serve exited with {self.process.returncode}")
            try:
                httpx.get(f"{self.base}/api/v1/me", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"safeguard serve did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


async def send(client: httpx.AsyncClient, request: Request) -> tuple[float, str | None]:
    t0 = time.perf_counter()
    try:
        response = await client.request(
            request.method,
            request.path,
            headers={"Authorization": f"Bearer {request.token}"},
            json=request.json,
            files=request.files,
            data=request.data,
        )
        error = None if response.status_code < 400 else f"{response.status_code} {response.text}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"
    return (time.perf_counter() - t0) * 1000, error


async def drive(
    base: str,
    outcome: Outcome,
    requests: Iterator[Request],
    clients: int,
    count: int | None,
    duration: float | None,
    warmup: int,
    timeout: float,
) -> None:
    """Send ``warmup`` requests one at a time (not counted), then keep ``clients`` requests in
    flight until ``count`` were sent or ``duration`` seconds passed."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        t0 = time.perf_counter()
        for request in [r for _, r in zip(range(warmup), requests, strict=False)]:
            _, error = await send(client, request)
            if error:
                outcome.errors.append(f"warm-up: {error}")
        outcome.warmup_s = time.perf_counter() - t0
        sent = 0
        start = time.perf_counter()

        async def worker() -> None:
            nonlocal sent
            while (count is None or sent < count) and (
                duration is None or time.perf_counter() - start < duration
            ):
                request = next(requests, None)
                if request is None:
                    return
                sent += 1
                ms, error = await send(client, request)
                outcome.latencies_ms.append(ms)
                if error:
                    outcome.errors.append(error)

        await asyncio.gather(*(worker() for _ in range(clients)))
        outcome.seconds = time.perf_counter() - start


def in_own_loop(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run the clients' event loop in a thread of its own, so the driver also works when the
    caller's thread already runs a loop (as under pytest after the browser tests)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:  # handed back to the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def measure(store: BuiltStore, folder: Path, args: argparse.Namespace) -> list[Outcome]:
    run = uuid.uuid4().hex[:6]
    platform = bootstrap(Settings(database_url=store.url, environment="test"))
    try:
        alerts = args.requests or args.alerts
        sample = draw_sample(platform, args.sample, alerts, seed=args.seed)
        grant(platform, sample, run)
    finally:
        platform.close()
    console.print(
        f"[{store.kind}] sample: {len(sample.records):,} linked children's records, "
        f"{len(sample.alerts):,} open alerts assigned; run {run}"
    )
    traffic = Traffic(sample, run, seed=args.seed, feed_rows=args.feed_rows)
    server = Server(store.url, folder)
    outcomes = []
    try:
        server.wait()
        for operation in args.operations.split(","):
            outcome = Outcome(store.kind, operation)
            warmup = 0 if operation == "decision" else args.warmup
            in_own_loop(
                partial(drive, server.base, outcome, traffic.maker(operation), args.clients,
                        args.requests, None if args.requests else args.duration,
                        warmup, args.timeout)
            )  # fmt: skip
            outcomes.append(outcome)
            console.print(f"[{store.kind}] {operation}: {row(outcome)}  load {load_average()}")
            for error in outcome.errors[:5]:
                console.print(f"  error: {error[:300]}")
    finally:
        server.stop()
    return outcomes


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def row(o: Outcome) -> str:
    if not o.latencies_ms:
        return "no requests"
    p50, p95, p99 = percentiles(o.latencies_ms)
    return (
        f"{o.requests:,} requests, {len(o.errors)} errors, {o.throughput:.1f}/s, "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms (warm-up {o.warmup_s:.1f} s)"
    )


def report(outcomes: list[Outcome], children: int, stores: list[BuiltStore], clients: int) -> None:
    table = Table(title=f"Load, {children:,} children, {clients} clients — {machine_line()}")
    for column in ("store", "operation", "requests", "errors", "req/s", "p50 ms", "p95 ms",
                   "p99 ms", "warm-up s"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("store", "operation") else "right")
    for o in outcomes:
        p50, p95, p99 = percentiles(o.latencies_ms) if o.latencies_ms else (0.0, 0.0, 0.0)
        table.add_row(o.store, o.operation, f"{o.requests:,}", str(len(o.errors)),
                      f"{o.throughput:,.1f}", f"{p50:.1f}", f"{p95:.1f}", f"{p99:.1f}",
                      f"{o.warmup_s:.1f}")  # fmt: skip
    console.print(table)
    for store in stores:
        stages = ", ".join(f"{k} {v:,.0f} s" for k, v in store.stages.items())
        console.print(f"{store.kind} store built in: {stages}")
    console.print(f"load average now: {load_average()}")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60, help="seconds per operation")
    parser.add_argument("--requests", type=int, help="requests per operation (not --duration)")
    parser.add_argument("--reuse", type=Path, help="build the store here once and keep it")
    parser.add_argument("--build-only", action="store_true", help="build the store and stop")
    parser.add_argument("--operations", default=",".join(OPERATIONS))
    parser.add_argument("--warmup", type=int, default=3, help="uncounted requests first")
    parser.add_argument("--sample", type=int, default=20_000, help="children's records drawn")
    parser.add_argument("--alerts", type=int, default=1000, help="alerts assigned (--duration)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds a request may take")
    parser.add_argument("--feed-rows", type=int, default=50, help="rows per ingest submission")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--las", type=int, help="use the first K local authorities (default all)")
    parser.add_argument("--postgres", default=POSTGRES, help="server for the PostgreSQL store")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> tuple[list[Outcome], list[BuiltStore]]:
    """Build (or reuse) each store and, unless ``--build-only``, measure it."""
    kinds = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.reuse or Path(scratch)
        console.print(f"{machine_line()}; load average {load_average()}")
        outcomes: list[Outcome] = []
        stores = []
        pg_name = postgres_name(args.children) if args.reuse else f"sg_load_{uuid.uuid4().hex[:8]}"
        try:
            for kind in kinds:
                store = build(
                    folder, kind, args.children, args.postgres, console.print, pg_name,
                    args.seed, args.las,
                )  # fmt: skip
                stores.append(store)
                if not args.build_only:
                    outcomes += measure(store, folder, args)
        finally:
            if args.reuse is None and "postgres" in kinds:
                drop_postgres(args.postgres, pg_name)
    return outcomes, stores


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    outcomes, stores = run(args)
    if args.build_only:
        for store in stores:
            console.print(f"{store.kind}: {store.stages}")
        return 0
    report(outcomes, args.children, stores, args.clients)
    failed = sum(len(o.errors) for o in outcomes)
    if failed:
        console.print(f"[red]{failed} requests failed[/red]")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
