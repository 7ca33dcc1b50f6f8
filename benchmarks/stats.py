"""National return time: N synthetic CSAE crimes in Parquet through the DuckDB adapter.

    python benchmarks/stats.py [--crimes 10000000] [--year 2024] [--memory 6GB]

Crimes and their victims and suspects are generated directly (vectorised numpy/pyarrow, not
through ingest) in the statistics extract's schema, written to Parquet, then the whole return
for one year (every table, joint disclosure control, charts, HTML, CSV and ODS) is timed, then
the audit that attacks the written files (``safeguard stats audit``).
Targets: issue 7, 10,000,000 crimes in under 60 s; issue 21, the same with its audit.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.machine import machine_line, peak_rss_mib
from safeguard.analytics import AnalyticsDB
from safeguard.crime.audit import audit_return
from safeguard.crime.census import load_census
from safeguard.crime.divergence import divergence
from safeguard.crime.extract import CRIMES_SCHEMA, PEOPLE_SCHEMA, TYPOLOGY_SCHEMA
from safeguard.crime.national import crimes_against_children_by_la_year
from safeguard.crime.report import build_national_return, write_report
from safeguard.crime.rules import load_crime_rules
from safeguard.domain.codes import load_code_lists

CHUNK = 2_000_000


def _pick(
    rng: np.random.Generator, values: list[str], n: int, p: list[float] | None = None
) -> pa.Array:
    index = rng.choice(len(values), size=n, p=p)
    return pa.array(np.asarray(values, dtype=object)[index], pa.string())


def generate(out: Path, crimes: int, year: int, seed: int = 7) -> None:
    """Write crimes.parquet, typology.parquet and people.parquet in chunks."""
    codes, rules = load_code_lists(), load_crime_rules()
    census = load_census()
    rng = np.random.default_rng(seed)
    las = [a.la_code for a in codes.areas]
    force = {a.la_code: a.force_code for a in codes.areas}
    la_weight = np.array([census.children.get(la, 1) for la in las], float)
    la_weight /= la_weight.sum()
    police = [c for c in codes.ethnicity_police.codes() if c != "NS"]
    pop = census.by_police_code(codes, las, children=False)
    eth_p = np.array([pop.get(c, 0.0) for c in police])
    eth_p /= eth_p.sum()
    group_of = {c: codes.ethnic_group(c) for c in codes.ethnicity_police.codes()}
    offences = list(rules.offence_group)
    outcome_groups = sorted({o.group for o in rules.outcomes.values()})
    typologies = list(rules.typologies)
    writers = {
        name: pq.ParquetWriter(out / f"{name}.parquet", schema)
        for name, schema in (
            ("crimes", CRIMES_SCHEMA),
            ("typology", TYPOLOGY_SCHEMA),
            ("people", PEOPLE_SCHEMA),
        )
    }
    for start in range(0, crimes, CHUNK):
        n = min(CHUNK, crimes - start)
        ids = np.arange(start, start + n, dtype=np.int64)
        la_idx = rng.choice(len(las), size=n, p=la_weight)
        la = np.asarray(las, dtype=object)[la_idx]
        fc = np.asarray([force[x] for x in las], dtype=object)[la_idx]
        offence_idx = rng.integers(0, len(offences), n)
        offence = np.asarray(offences, dtype=object)[offence_idx]
        offence_group = np.asarray([rules.offence_group[o] for o in offences], dtype=object)
        n_suspects = rng.choice(4, size=n, p=[0.2, 0.55, 0.15, 0.1])
        crimes_t = pa.table(
            {
                "crime_id": ids,
                "year": np.full(n, year, np.int32),
                "force_code": pa.array(fc, pa.string()),
                "la_code": pa.array(la, pa.string()),
                "offence_code": pa.array(offence, pa.string()),
                "offence_group": pa.array(offence_group[offence_idx], pa.string()),
                "csa": rng.random(n) < 0.8,
                "cse": rng.random(n) < 0.2,
                "online": rng.random(n) < 0.3,
                "group_based": n_suspects >= 2,
                "outcome_group": _pick(rng, outcome_groups, n),
            },
            schema=CRIMES_SCHEMA,
        )
        writers["crimes"].write_table(crimes_t)
        t_mask = rng.random(n) < 0.4
        writers["typology"].write_table(
            pa.table(
                {"crime_id": ids[t_mask], "typology": _pick(rng, typologies, int(t_mask.sum()))},
                schema=TYPOLOGY_SCHEMA,
            )
        )
        # one victim per crime, then 0-3 suspects
        reps = 1 + n_suspects
        row_crime = np.repeat(np.arange(n), reps)
        first = np.concatenate([[0], np.cumsum(reps)[:-1]])
        is_victim = np.zeros(row_crime.size, bool)
        is_victim[first] = True
        m = row_crime.size
        person = np.where(
            is_victim,
            rng.integers(0, int(crimes * 0.8) + 1, m),
            rng.integers(0, int(crimes * 0.5) + 1, m) + 10 * crimes,
        )
        ns = rng.random(m) < np.where(is_victim, 0.3, 0.6)
        codes_ns = np.asarray([*police, "NS"], dtype=object)
        groups_ns = np.asarray([group_of[c] for c in codes_ns], dtype=object)
        eth_idx = rng.choice(len(police), size=m, p=eth_p)
        eth_idx[ns] = len(police)
        eth = codes_ns[eth_idx]
        nat = _pick(
            rng, ["British", "British and other", "Other", "Not stated"], m, [0.6, 0.05, 0.1, 0.25]
        )
        age = np.where(is_victim, rng.integers(3, 18, m), rng.integers(18, 70, m)).astype(np.int32)
        sex = np.where(is_victim, np.where(rng.random(m) < 0.8, "F", "M"), "M").astype(object)
        people = pa.table(
            {
                "crime_id": ids[row_crime],
                "year": np.full(m, year, np.int32),
                "force_code": pa.array(fc[row_crime], pa.string()),
                "la_code": pa.array(la[row_crime], pa.string()),
                "role": pa.array(
                    np.where(is_victim, "victim", "suspect").astype(object), pa.string()
                ),
                "person_key": person.astype(np.int64),
                "sex": pa.array(sex, pa.string()),
                "age": age,
                "ethnicity": pa.array(eth, pa.string()),
                "ethnic_group": pa.array(groups_ns[eth_idx], pa.string()),
                "nationality_group": nat,
            },
            schema=PEOPLE_SCHEMA,
        )
        writers["people"].write_table(people)
    for writer in writers.values():
        writer.close()


def national_return(folder: Path, year: int, memory: str) -> tuple[float, float, int, int, int]:
    """Seconds for the return (tables, joint protection, charts, files) and for the audit of
    the written files, the tables, the files and the withheld figures the audit checked."""
    codes, rules, census = load_code_lists(), load_crime_rules(), load_census()
    started = time.perf_counter()
    with AnalyticsDB(threads=2, memory_limit=memory) as db:
        for name in ("crimes", "typology", "people"):
            db.register_parquet(name, folder / f"{name}.parquet")
        frame = crimes_against_children_by_la_year(db)
        crimes = {(str(a), int(y)): int(c) for a, y, c in frame.itertuples(index=False, name=None)}
        plans = {key: max(1, value // 40) for key, value in crimes.items()}  # synthetic plans
        points = divergence(crimes, plans, rules.warning_z, rules.alarm_z)
        ret = build_national_return(db, year, codes, rules, census, points)
    with tempfile.TemporaryDirectory() as out:
        files = write_report(ret, Path(out))
        built = time.perf_counter() - started
        result = audit_return(Path(out))
        audited = time.perf_counter() - started - built
    if not result.ok:
        raise SystemExit(f"the audit failed: {result.findings[0].sentence(result.threshold)}")
    return built, audited, len(ret.tables), len(files), result.checked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crimes", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--memory", default="6GB", help="DuckDB memory limit")
    parser.add_argument("--keep", type=Path, help="Keep the Parquet here (reused if present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if not (folder / "people.parquet").exists():  # --keep DIR reuses earlier files
            generate(folder, args.crimes, args.year)
        gen = time.perf_counter() - t0
        people = pq.ParquetFile(folder / "people.parquet").metadata.num_rows
        size = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20
        seconds, audit, tables, files, checked = national_return(folder, args.year, args.memory)
    print(machine_line())
    print(
        "| crimes | victim/suspect rows | Parquet | generate | national return | audit "
        "| return + audit | withheld figures audited | tables | files |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.crimes:,} | {people:,} | {size:,.0f} MiB | {gen:.1f} s | {seconds:.1f} s | "
        f"{audit:.1f} s | **{seconds + audit:.1f} s** | {checked:,} | {tables} | {files} |"
    )
    print(f"return + audit against the 60 s target: {(seconds + audit) / 60:.2f}x")
    print(f"peak RSS of this process (generation included): {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
