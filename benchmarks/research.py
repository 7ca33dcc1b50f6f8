"""Research extract time, memory and information loss on a synthetic region.

    python -m benchmarks.research [--children 100000] [--folder var/bench-research] [--no-link]

Builds (once per folder) a region of N children with ``safeguard synth``'s generator, ingests
every feed and links identities as an operator would, then, on that SQLite store, approves a
project per unit and times ``ResearchService.extract``. The baseline is reading the same rows
from the store into pandas (``extract.read_people`` and ``read_events``), the floor any extract
pays; the ratio says what pseudonymising, generalising, checking k and l, and writing cost on
top. Information loss is the share of records suppressed at k = 10 on the default variables and
the generalisation level each quasi-identifier needed. Targets (issue 18): 1M children < 2 min
and < 4 GiB peak RSS; < 5 % suppressed at 100k.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.machine import machine_line, peak_rss_mib
from safeguard.bootstrap import Platform, bootstrap
from safeguard.config import Settings
from safeguard.domain.actors import User
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.research.extract import read_events, read_people
from safeguard.synth import generate_region

RESEARCHER = User("bench-researcher", "research", ("researcher",))
DPO = User("bench-dpo", "research", ("auditor",))


def build(folder: Path, children: int, seed: int, link: bool) -> Platform:
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / f"built-{children}-{seed}-{int(link)}"
    platform = bootstrap(Settings(database_url=f"sqlite:///{folder.resolve()}/store.db",
                                  environment="test"))  # fmt: skip
    if done.exists():
        return platform
    t0 = time.perf_counter()
    generate_region(folder / "region", children, seed=seed)
    print(f"synth {time.perf_counter() - t0:.0f} s", flush=True)
    t0 = time.perf_counter()
    for job in ingest_jobs(folder / "region", None, None):
        submit_job(platform.ingest, job)
    print(f"ingest {time.perf_counter() - t0:.0f} s", flush=True)
    if link:
        t0 = time.perf_counter()
        platform.identity.link(CLI_SUBMITTER.operator())
        print(f"link {time.perf_counter() - t0:.0f} s", flush=True)
    done.touch()
    return platform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, default=Path("var/bench-research"))
    parser.add_argument("--no-link", action="store_true")
    args = parser.parse_args()
    platform = build(args.folder / str(args.children), args.children, args.seed, not args.no_link)
    print(machine_line())
    t0 = time.perf_counter()
    with platform.uow() as uow:
        people, events = read_people(uow), read_events(uow, crimes_only=False)
    baseline = time.perf_counter() - t0
    print(f"baseline: read {len(people):,} people and {len(events):,} event rows in "
          f"{baseline:.1f} s")  # fmt: skip
    del people, events
    print("| unit | records | released | suppressed | share | levels | seconds | × baseline |")
    print("|---|---|---|---|---|---|---|---|")
    for unit in ("child", "event"):
        pid = platform.research.request(
            dict(title=f"bench {unit}", purpose="benchmark", approving_body="bench",
                 approval_reference="B1", lawful_basis="benchmark", starts_on="2020-01-01",
                 ends_on="2099-01-01", unit=unit, researchers=RESEARCHER.name),
            RESEARCHER,
        )  # fmt: skip
        platform.research.decide(pid, True, DPO)
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            m = platform.research.extract(pid, RESEARCHER, Path(out))
            seconds = time.perf_counter() - t0
        levels = "; ".join(f"{q}: {n}" for q, n in m["generalisation"].items())
        print(f"| {unit} | {m['records_before']:,} | {m['records_released']:,} | "
              f"{m['records_suppressed']:,} | {m['share_suppressed']:.2%} | {levels} | "
              f"{seconds:.1f} | {seconds / baseline:.2f} |")  # fmt: skip
    print(f"peak RSS {peak_rss_mib():,.0f} MiB (whole process, store reads included)")
    platform.close()


if __name__ == "__main__":
    main()
