"""The store the load benchmark serves: a synthetic region ingested, linked and scored the way
an operator would do it (`safeguard synth`, `ingest`, `identity link`, `risk run`).

A build folder holds the region, the SQLite file and ``manifest.json``, which records each
finished stage with its time; a run given the folder again skips what is done, so a 1,000,000-
children store is built once. The PostgreSQL store is database ``sg_load_<children>``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import create_postgres, database_url, postgres_exists
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.synth import generate_region

Say = Callable[[str], object]


@dataclass(frozen=True)
class BuiltStore:
    kind: str  # sqlite or postgres
    url: str
    region: Path
    stages: dict[str, float]  # stage → seconds it took when built


class Manifest:
    """What has been built in a folder, written after every stage."""

    def __init__(self, folder: Path, children: int, seed: int) -> None:
        self.path = folder / "manifest.json"
        self.data: dict[str, Any] = {"children": children, "seed": seed, "stages": {}}
        if self.path.exists():
            self.data = json.loads(self.path.read_text())
            if (self.data["children"], self.data["seed"]) != (children, seed):
                raise SystemExit(
                    f"{folder} holds a store of {self.data['children']:,} children (seed "
                    f"{self.data['seed']}), not {children:,} (seed {seed}); give another folder"
                )

    def done(self, stage: str) -> bool:
        return stage in self.data["stages"]

    def finish(self, stage: str, seconds: float) -> None:
        # Re-read first: the SQLite and PostgreSQL stores may be built by two processes at once.
        if self.path.exists():
            self.data["stages"] = {**json.loads(self.path.read_text())["stages"],
                                   **self.data["stages"]}  # fmt: skip
        self.data["stages"][stage] = round(seconds, 1)
        self.path.write_text(json.dumps(self.data, indent=1))

    def forget(self, prefix: str) -> None:
        """The store was made afresh: none of its stages is done."""
        if self.path.exists():
            self.data["stages"] = json.loads(self.path.read_text())["stages"]
        for stage in [s for s in self.data["stages"] if s.startswith(prefix + ":")]:
            del self.data["stages"][stage]
        self.path.write_text(json.dumps(self.data, indent=1))

    def times(self, prefix: str) -> dict[str, float]:
        return {
            k.split(":")[-1]: v
            for k, v in self.data["stages"].items()
            if k == "synth" or k.startswith(prefix + ":")
        }


def store_url(folder: Path, kind: str, server_url: str, pg_name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder.resolve()}/store.db"
    return database_url(server_url, pg_name)


def postgres_name(children: int) -> str:
    """The kept PostgreSQL store of a build folder (one per size)."""
    return f"sg_load_{children}"


def build(
    folder: Path,
    kind: str,
    children: int,
    server_url: str,
    say: Say,
    pg_name: str,
    seed: int = 1,
    las: int | None = None,
) -> BuiltStore:
    """Build (or finish building) the store of ``kind`` in ``folder``; the PostgreSQL store
    is database ``pg_name``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(folder, children, seed)
    region = folder / "region"
    if not manifest.done("synth"):
        say(f"synth: {children:,} children into {region}")
        t0 = time.perf_counter()
        generate_region(region, children, seed=seed, las=las)
        manifest.finish("synth", time.perf_counter() - t0)
    if kind == "postgres" and not postgres_exists(server_url, pg_name):
        create_postgres(server_url, pg_name)
        manifest.forget("postgres")
    url = store_url(folder, kind, server_url, pg_name)
    platform = bootstrap(Settings(database_url=url, environment="test"))
    try:
        for stage, work in (
            ("ingest", lambda: ingest(platform, region, say)),
            ("link", lambda: platform.identity.link(CLI_SUBMITTER.operator(), progress=say)),
            ("risk", lambda: say(f"risk: {platform.risk.run()}")),
        ):
            if manifest.done(f"{kind}:{stage}"):
                continue
            say(f"{kind}: {stage}")
            t0 = time.perf_counter()
            work()
            manifest.finish(f"{kind}:{stage}", time.perf_counter() - t0)
    finally:
        platform.close()
    return BuiltStore(kind, url, region, manifest.times(kind))


def ingest(platform: Platform, region: Path, say: Say) -> None:
    """Every feed of the region, as `safeguard ingest` sends them (a re-send is a no-op, so an
    interrupted ingest is finished by running it again)."""
    for job in ingest_jobs(region, None, None):
        t0 = time.perf_counter()
        result = submit_job(platform.ingest, job)
        seconds = time.perf_counter() - t0
        say(f"  {job.agency} {result.kind}: {result.rows:,} rows in {seconds:.0f} s")
