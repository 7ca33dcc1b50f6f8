"""The attacker who reads every published number of a return (``safeguard stats audit DIR``).

It reads the return's files as anyone would (``manifest.json`` says where each CSV cell sits:
table, row and column codes; the CSVs give the numbers), and writes everything as linear
constraints on the unknown true counts, which are non-negative integers:

* every count cell published, fixed; the same aggregate in two tables is one unknown;
* every table's margins; a high-level ethnic group is the sum of its 18+1 codes;
* every rate column inverted (rate = count / population x 100,000, rounded: the count lies in
  an interval), the "rate if all not stated" column on count + not stated, every rate ratio
  and its not-stated bounds as two inequalities between the counts, every completeness
  percentage as an interval for the unknown stated count of its row (stated counts add up
  across rows), the headline percentages, and crimes per plan;
* a confidence interval cannot be inverted linearly, so one published beside a withheld
  count is itself a finding; so is a count of 1..threshold-1 published outright.

Then HiGHS (``scipy.optimize.milp``) gives the tightest integer interval of every withheld or
never-published count. A finding is a cell that could be 1..threshold-1 but is not open over
[0, threshold].
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from safeguard.crime.cube import Key, Layout, System, hierarchy_equations, key, protected_enough

MANIFEST = "manifest.json"
RATE = "Rate per 100,000 (stated only)"
RATE_HIGH = "Rate if all not stated were this group"
POPULATION = "Population (Census 2021)"


@dataclass(frozen=True)
class Finding:
    cell: str
    low: float
    high: float

    def sentence(self, threshold: int) -> str:
        high = "no limit" if math.isinf(self.high) else f"{self.high:.0f}"
        return (
            f"{self.cell} can be narrowed to [{self.low:.0f}, {high}], inside the protection "
            f"interval [0, {threshold}]"
        )


@dataclass
class AuditResult:
    findings: list[Finding]
    checked: int
    threshold: int

    @property
    def ok(self) -> bool:
        return not self.findings


def _num(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _describe(k: Key) -> str:
    pop, coords = k
    return f"{pop} (" + ", ".join(f"{a}={b}" for a, b in coords) + ")"


def audit_return(folder: Path) -> AuditResult:
    """Attack every published file of the return in ``folder`` (see module docstring)."""
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    threshold, marker = int(manifest["threshold"]), str(manifest["marker"])
    system = System()
    published: set[Key] = set()
    withheld: set[Key] = set()
    expressions: dict[str, dict[Key, float]] = {}
    ci_checks: list[tuple[str, Key, Key]] = []
    value_of: dict[Key, float] = {}
    for entry in manifest["tables"]:
        layout = Layout.from_json(entry["layout"])
        with (folder / entry["file"]).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        grid = layout.grid()
        if entry.get("key_column"):  # rates tables: rows found by their code
            by_code = {r[entry["key_column"]]: r for r in rows}
            rows = [by_code[c] for c in [*layout.rows, "Total"][: len(grid)]]
        for line, row in zip(grid, rows, strict=True):
            for k, column in zip(line, entry["count_columns"], strict=True):
                text = row[column]
                system.var(k)
                if text == marker:
                    withheld.add(k)
                elif text != "":
                    value = float(text)
                    system.fix(k, value)
                    published.add(k)
                    value_of[k] = value
        for parts, total in layout.equations():
            system.add_sum(parts, total)
        if entry["kind"] == "rates":
            _rates(system, entry, layout, rows, manifest, ci_checks)
        if entry["kind"] == "percent":
            _percents(system, entry, layout, rows, grid, manifest, expressions)
    for parts, total in hierarchy_equations(
        system.index, "ethnic_group", "ethnicity", manifest["ethnic_children"]
    ):
        system.add_sum(parts, total)
    for name, h in manifest.get("headline", {}).items():
        if h.get("percent") is None:
            continue
        part, whole = _key(h["part"]), _key(h["whole"])
        _ratio_band(system, {part: 100.0}, {whole: 1.0}, float(h["percent"]), 0.5)
        expressions.setdefault(f"headline {name}", {part: 1.0})
    findings = [Finding(name, 0, 0) for name, a, b in ci_checks if not {a, b} <= published]
    findings += [  # a small count published outright
        Finding(_describe(k), v, v) for k, v in sorted(value_of.items()) if 0 < v < threshold
    ]
    targets = {_describe(k): {k: 1.0} for k in sorted(withheld - published)}
    targets.update(expressions)
    for name, expr in targets.items():
        lo, hi = system.interval(expr)
        if not protected_enough(lo, hi, threshold):
            findings.append(Finding(name, lo, hi))
    return AuditResult(findings, len(targets), threshold)


def _key(data: list[object]) -> Key:
    pop, coords = data
    return key(str(pop), dict(coords))  # type: ignore[call-overload]


def _ratio_band(
    system: System, num: dict[Key, float], den: dict[Key, float], value: float, half: float
) -> None:
    """num / den rounded to ``value`` (+- ``half``): two linear inequalities."""
    for bound, sign in ((value + half, 1.0), (value - half, -1.0)):
        terms: dict[Key, float] = dict(num)
        for k, c in den.items():
            terms[k] = terms.get(k, 0.0) - bound * c
        system.add({k: sign * c for k, c in terms.items()}, -math.inf, 0.0)


def _rates(
    system: System,
    entry: dict[str, object],
    layout: Layout,
    rows: list[dict[str, str]],
    manifest: dict[str, object],
    ci_checks: list[tuple[str, Key, Key]],
) -> None:
    per = float(manifest["per"])  # type: ignore[arg-type]
    rd = 0.5 * 10 ** -int(manifest["rate_decimals"])  # type: ignore[call-overload]
    keys = {code: line[0] for code, line in zip(layout.rows, layout.grid(), strict=False)}
    ref, ns = str(entry["reference"]), keys[str(entry["not_stated"])]
    pops = {r["Code"]: _num(r[POPULATION]) for r in rows if r["Code"] in keys}
    ratio_col = next(c for c in rows[0] if c.startswith("Rate ratio vs"))
    ns_ref_col = next(
        c
        for c in rows[0]
        if c.startswith("Ratio if all not stated were ") and not c.endswith("this group")
    )
    for r in rows:
        code = r["Code"]
        if code not in keys or keys[code] == ns:
            continue
        a, pop = keys[code], pops.get(code) or 0.0
        if pop <= 0:
            continue
        # population published rounded to the unit: widen the band by its relative error
        slack = 0.5 / pop
        for column, terms in ((RATE, {a: 1.0}), (RATE_HIGH, {a: 1.0, ns: 1.0})):
            v = _num(r[column])
            if v is not None:
                lo, hi = (v - rd) * pop / per * (1 - slack), (v + rd) * pop / per * (1 + slack)
                system.add(terms, lo, hi)
        b, pop_b = keys.get(ref), pops.get(ref) or 0.0
        if b is None or pop_b <= 0:
            continue
        k = pop_b / pop
        for column, num, den in (
            (ratio_col, {a: k}, {b: 1.0}),
            (ns_ref_col, {a: k}, {b: 1.0, ns: 1.0}),
            ("Ratio if all not stated were this group", {a: k, ns: k}, {b: 1.0}),
        ):
            v = _num(r[column])
            if v is not None and math.isfinite(v):
                _ratio_band(system, num, den, v, 0.005 + v * 2 * (slack + 0.5 / pop_b))
        if any(_num(r[c]) is not None for c in ("95% CI low", "95% CI high")):
            ci_checks.append((f"{entry['name']} {code}: a 95% CI over a withheld count", a, b))


def _percents(
    system: System,
    entry: dict[str, object],
    layout: Layout,
    rows: list[dict[str, str]],
    grid: list[list[Key]],
    manifest: dict[str, object],
    expressions: dict[str, dict[Key, float]],
) -> None:
    half = 0.5 * 10 ** -int(manifest["percent_decimals"])  # type: ignore[call-overload]
    titles = {"suspect": "Suspects", "victim": "Victims"}
    for measure in ("ethnicity", "nationality"):
        stated = Layout(
            layout.name,
            f"{layout.population}:{measure}_stated",
            layout.row_dim,
            layout.rows,
            layout.col_dim,
            layout.cols,
            layout.fixed,
            layout.row_totals,
            layout.col_totals,
        )
        for parts, total in stated.equations():
            system.add_sum(parts, total)
        for line, sline, row in zip(grid, stated.grid(), rows, strict=True):
            for j, role in enumerate(layout.cols):
                n, s = line[j], sline[j]
                system.add({s: 1.0, n: -1.0}, -math.inf, 0.0)
                expressions[_describe(s)] = {s: 1.0}
                expressions[_describe(s) + " not stated"] = {n: 1.0, s: -1.0}
                value = _num(row[f"{titles[role]}: {measure} stated (%)"])
                if value is not None:
                    _ratio_band(system, {s: 100.0}, {n: 1.0}, value, half)
