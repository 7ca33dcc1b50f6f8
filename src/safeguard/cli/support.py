"""`safeguard support …`: offers of support to child victims, their deadlines and the report."""

from __future__ import annotations

from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

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
