"""Licensing check latency and quality against a large register; with ``--sweep``, the
sweep's recall and out-of-area precision and recall on synthetic regions
(``benchmarks/licensing_loops.py``).

    python -m benchmarks.licensing [--entries 1000000] [--checks 1000] [--naive 3]
    python -m benchmarks.licensing --sweep [--children 20000] [--tune-seed 1] [--seeds 2 3]
    python -m benchmarks.licensing --sweep-scale 300000 --entries 50000

A register of N entries is generated with numpy from the synthetic name pools (Zipf-weighted
first names and surnames, dates of birth 1950–2004, DVLA numbers for 60%). Half the applicants
are entries re-typed with one error the synthetic noise model makes (nickname, transliteration,
day/month swap, a day or year off by one, a keyboard slip in either name, names swapped; no
licence number given), half are strangers drawn the same way. Each check runs in-process on the
blocked index (`RegisterIndex.check`); the baseline scores every entry (`naive_check`).
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from datetime import date
from importlib import resources

import numpy as np

from benchmarks.licensing_evaluation import variants
from benchmarks.machine import machine_line, peak_rss_mib
from safeguard.licensing.matching import Identity, RegisterIndex, naive_check
from safeguard.licensing.settings import load_licensing_settings
from safeguard.synth.identifiers import driving_licence


def _pool(part: str) -> tuple[list[str], np.ndarray]:
    text = resources.files("safeguard.data").joinpath("names_faker.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(ln for ln in text.splitlines() if not ln.startswith("#"))]
    names = {r["name"]: float(r["weight"]) for r in rows if r["part"] == part}
    ordered = sorted(names, key=lambda n: -names[n])
    weights = 1.0 / np.arange(1, len(ordered) + 1) ** 0.7  # Zipf, as the synthetic generator
    return ordered, weights / weights.sum()


def register(n: int, seed: int) -> tuple[list[str], list[Identity]]:
    rng = np.random.default_rng(seed)
    firsts, fw = _pool("first")
    surnames, sw = _pool("last")
    f = rng.choice(len(firsts), n, p=fw)
    s = rng.choice(len(surnames), n, p=sw)
    base = date(1950, 1, 1).toordinal()
    dobs = rng.integers(0, (date(2004, 12, 31).toordinal() - base), n) + base
    sex = rng.choice(np.array(["M", "F"]), n)
    with_dl = rng.random(n) < 0.6
    ids, out = [], []
    for i in range(n):
        d = date.fromordinal(int(dobs[i]))
        first, surname = firsts[f[i]], surnames[s[i]]
        dl = driving_licence(surname, first, None, d, str(sex[i])) if with_dl[i] else None
        ids.append(f"E{i}")
        out.append(Identity(first, surname, d, None, None, dl, str(sex[i])))
    return ids, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=3)
    parser.add_argument("--sweep", action="store_true", help="the sweep and out-of-area")
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--tune-seed", type=int, default=1)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3])
    parser.add_argument(
        "--sweep-scale", type=int, metavar="LICENCES", help="time a sweep against --entries"
    )
    args = parser.parse_args()
    if args.sweep_scale:
        from benchmarks.licensing_loops import scale

        scale(args.sweep_scale, args.entries)
        return
    if args.sweep:
        from benchmarks.licensing_loops import main as loops

        loops(args.children, args.tune_seed, args.seeds)
        return
    t0 = time.perf_counter()
    ids, idents = register(args.entries, seed=1)
    t1 = time.perf_counter()
    weights = load_licensing_settings().match
    index = RegisterIndex(ids, idents, weights)
    t2 = time.perf_counter()
    rng = random.Random(2)
    _, strangers = register(args.checks // 2, seed=3)
    queries: list[tuple[str | None, Identity]] = []
    while len(queries) < args.checks // 2:
        i = rng.randrange(len(idents))
        kinds = list(variants(Identity(**{**idents[i].__dict__, "driving_licence": None}), rng))
        queries.append((ids[i], rng.choice(kinds)[1]))
    queries += [(None, s) for s in strangers]
    times, found, true_n, returned_strangers, cands, correct = [], 0, 0, 0, 0, 0
    for truth, q in queries:
        start = time.perf_counter()
        got = index.check(q)
        times.append((time.perf_counter() - start) * 1000)
        if truth is not None:
            cands += len(got)
            true_n += 1
            found += any(c.entry_id == truth for c in got)
            correct += sum(c.entry_id == truth for c in got)
        elif got:
            returned_strangers += 1
    naive_ms = []
    for _, q in queries[: args.naive]:
        start = time.perf_counter()
        naive_check(q, ids, idents, weights)
        naive_ms.append((time.perf_counter() - start) * 1000)
    p = np.percentile(np.array(times), [50, 95, 99])
    naive = float(np.mean(naive_ms)) if naive_ms else float("nan")
    print(machine_line())  # noqa: T201
    print(  # noqa: T201
        f"| entries | generate s | index s | checks | p50 ms | p95 ms | p99 ms | naive scan ms "
        f"| speed-up | recall (variants) | precision | strangers returned | peak RSS MiB |\n"
        f"|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {args.entries:,} | {t1 - t0:.1f} | {t2 - t1:.1f} | {len(queries):,} | {p[0]:.2f} "
        f"| {p[1]:.2f} | {p[2]:.2f} | {naive:,.0f} | {naive / p[0]:,.0f}× "
        f"| {found / true_n:.3f} | {correct / max(cands, 1):.3f} "
        f"| {returned_strangers} of {len(strangers)} | {peak_rss_mib():,.0f} |"
    )


if __name__ == "__main__":
    main()
