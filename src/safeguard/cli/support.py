"""`safeguard support …`: offers of support to child victims, their deadlines and the report."""

from __future__ import annotations

import typer

from safeguard.cli._common import console, open_platform

app = typer.Typer(
    help="Support for child victims: offers due, escalation, schools, the report.",
    no_args_is_help=True,
)


@app.command("escalate")
def support_escalate() -> None:
    """Escalate to the responsible agency's manager every offer not made by its deadline."""
    ids = open_platform().support.escalate_overdue()
    console.print(f"Escalated {len(ids):,} overdue support offers.")
