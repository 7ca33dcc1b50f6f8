"""The national return's files: index.html, one CSV per table, one ODS workbook and the
manifest the audit reads (where each CSV cell sits in the cube)."""

import json
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from safeguard.crime.audit import MANIFEST
from safeguard.crime.national import StatTable
from safeguard.crime.return_model import NationalReturn
from safeguard.crime.rules import load_crime_rules
from safeguard.domain.spreadsheet import safe_frame


def table_html(table: StatTable) -> Markup:
    """The table as HTML without pandas' inline style (the pages' CSP forbids inline style)."""
    html = table.frame.to_html(index=table.kind != "rates", classes="stats", na_rep="", border=0)
    return Markup(html.replace(' style="text-align: right;"', ""))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", name.lower())


def manifest(ret: NationalReturn) -> dict[str, object]:
    """Where every count cell of every CSV sits (table, row and column codes), the settings
    and the headline's cells: what an auditor needs to read the CSVs as constraints."""
    from safeguard.crime.protected import ethnic_children
    from safeguard.domain.codes import load_code_lists

    rules = ret.rules or load_crime_rules()
    tables = []
    for t in ret.tables:
        counts = ret.layouts[t.name]
        lay = counts.layout
        width = (len(lay.cols) if lay.col_dim else 1) + (1 if lay.has_row_totals() else 0)
        entry: dict[str, object] = {
            "name": t.name,
            "file": f"{_slug(t.name)}.csv",
            "kind": t.kind,
            "layout": lay.to_json(),
        }
        if t.kind == "percent":
            entry["count_columns"] = ["Suspects", "Victims"]
        elif t.kind == "rates":
            entry["key_column"] = "Code"
            entry["count_columns"] = ["People"]
            entry["reference"] = str(t.frame.loc[t.frame["Note"] == "reference", "Code"].iloc[0])
            entry["not_stated"] = lay.rows[-1]
        else:
            entry["count_columns"] = [str(c) for c in t.frame.columns[:width]]
        tables.append(entry)
    return {
        "year": ret.year,
        "threshold": ret.threshold,
        "marker": rules.disclosure.marker,
        "rate_decimals": rules.disclosure.rate_decimals,
        "percent_decimals": rules.disclosure.percent_decimals,
        "per": rules.per,
        "ethnic_children": ethnic_children(load_code_lists()),
        "tables": tables,
        "headline": {
            name: {"part": list(part), "whole": list(whole), "percent": pct}
            for name, (part, whole, pct) in ret.headline_cells.items()
        },
    }


def write_report(ret: NationalReturn, out_dir: Path) -> list[Path]:
    """index.html (tables, charts, caveats), one CSV per table and one ODS workbook."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for table in ret.tables:
        path = out_dir / f"{_slug(table.name)}.csv"
        safe_frame(table.frame).to_csv(path, index=table.kind != "rates")
        written.append(path)
    (out_dir / MANIFEST).write_text(json.dumps(manifest(ret), indent=1), encoding="utf-8")
    written.append(out_dir / MANIFEST)
    ods = out_dir / f"national-return-{ret.year}.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        for table in ret.tables:
            frame = table.frame if not table.frame.empty else pd.DataFrame({"": ["No data"]})
            safe_frame(frame).to_excel(
                writer, sheet_name=table.name[:31], index=table.kind != "rates"
            )
    written.append(ods)
    env = Environment(
        loader=PackageLoader("safeguard.crime", "templates"), autoescape=select_autoescape()
    )
    html = env.get_template("national_return.html").render(
        ret=ret,
        charts={k: Markup(v) for k, v in ret.charts.items()},
        tables=[
            (
                t,
                table_html(t),
            )
            for t in ret.tables
        ],
        ods=ods.name,
    )
    index = out_dir / "index.html"
    index.write_text(html, encoding="utf-8")
    css = out_dir / "report.css"
    css.write_text(_CSS, encoding="utf-8")
    return [index, css, *written]


_CSS = """body{font-family:sans-serif;margin:2rem;max-width:72rem;color:#0b0c0c}
table.stats{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.85rem}
table.stats td,table.stats th{border:1px solid #b1b4b6;padding:.2rem .4rem;text-align:right}
.caveat{background:#fff7bf;padding:.4rem .6rem;border-left:4px solid #ffdd00}
.charts{display:flex;flex-wrap:wrap;gap:1rem}"""
