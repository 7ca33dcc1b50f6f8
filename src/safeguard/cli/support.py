"""`safeguard support …`: offers of support to child victims, their deadlines and the report."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, day, fail, open_platform

app = typer.Typer(
    help="Support for child victims: offers due, escalation, schools, the report.",
    no_args_is_help=True,
)


@app.command("escalate")
def support_escalate() -> None:
    """Escalate to the responsible agency's manager every offer not made by its deadline."""
    ids = open_platform().support.escalate_overdue()
    console.print(f"Escalated {len(ids):,} overdue support offers.")


@app.command("school-lead")
def support_school_lead(
    name: Annotated[str, typer.Argument(help="A user with the school_mh_lead role")],
    school: Annotated[str, typer.Argument(help="The school's six-digit DfE URN")],
) -> None:
    """Scope a school mental-health lead to their school (they see only its pupils)."""
    from safeguard.support.school import SchoolError

    try:
        open_platform().school.assign(name, school)
    except SchoolError as exc:
        raise fail(f"{exc}.") from None
    console.print(f"{name} is the mental-health lead of school {school}.")


@app.command("report")
def support_report(
    start: Annotated[
        str | None, typer.Option("--from", help="First day a situation arose, YYYY-MM-DD")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html or csv")] = "csv",
    audience: Annotated[
        str, typer.Option(help="published (disclosure control) or mash (full counts)")
    ] = "published",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead")] = None,
) -> None:
    """Per LA: child victims, support offers due, made on time, late, never made, uptake and the
    median days from identification to first contact."""
    from safeguard.support.report import to_csv
    from safeguard.web.support_chart import report_html

    if fmt not in ("html", "csv"):
        raise fail(f"--format must be html or csv, not {fmt!r}")
    if audience not in ("published", "mash"):
        raise fail(f"--audience must be published or mash, not {audience!r}")
    first, last = day(start, "--from"), day(end, "--to")
    platform = open_platform()
    rows = platform.support.report(
        first, last + timedelta(days=1) if last else None, protected=audience == "published"
    )
    names = {a.la_code: a.la_name for a in platform.codes.areas}
    text = to_csv(rows) if fmt == "csv" else report_html(rows, names, start, end)
    if out is None:
        console.out(text, end="", highlight=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"Wrote {out} ({len(rows)} local authorities).")
