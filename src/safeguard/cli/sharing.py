"""`safeguard sharing …`: compliance with the mandatory sharing obligations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, day, fail, open_platform

app = typer.Typer(help="Mandatory sharing: compliance with obligations.", no_args_is_help=True)


@app.command("report")
def sharing_report(
    start: Annotated[
        str | None, typer.Option("--from", help="First event date, YYYY-MM-DD")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last event date, YYYY-MM-DD")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or html")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead")] = None,
) -> None:
    """Per agency and obligation: shares due, on time, late, never made, median delay."""
    from rich.table import Table

    from safeguard.sharing.compliance import to_csv
    from safeguard.web.sharing_report import report_html

    if fmt not in ("table", "csv", "html"):
        raise fail(f"--format must be table, csv or html, not {fmt!r}")
    first, last = day(start, "--from"), day(end, "--to")
    rows = open_platform().sharing.report(first, last + timedelta(days=1) if last else None)
    if fmt == "table":
        table = Table(
            "agency", "obligation", "due", "on time", "late", "not shared", "unknown",
            "never made", "median h",
        )  # fmt: skip
        for r in rows:
            median = "" if r.median_delay_hours is None else f"{r.median_delay_hours:g}"
            counts = (r.due, r.on_time, r.late, r.not_shared, r.timing_unknown, r.never_made)
            table.add_row(r.agency, r.obligation, *map(str, counts), median)
        console.print(table)
        return
    text = to_csv(rows) if fmt == "csv" else report_html(rows, start, end)
    if out is None:
        console.out(text, end="", highlight=False)
    else:
        out.write_text(text, "utf-8")
        console.print(f"Wrote {out}.")
