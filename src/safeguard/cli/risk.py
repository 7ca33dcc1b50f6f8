"""`safeguard risk …`: alerts from indicators combined across agencies."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, known_la, open_platform

app = typer.Typer(
    help="Risk: alerts from indicators combined across agencies.", no_args_is_help=True
)


@app.command("run")
def risk_run() -> None:
    """Score every child with events and raise, update or reopen their alerts."""
    r = open_platform().risk.run()
    console.print(
        f"Scored {r.children:,} people: {r.raised:,} alerts raised, {r.reopened:,} reopened, "
        f"{r.updated:,} updated."
    )


@app.command("escalate")
def risk_escalate() -> None:
    """Escalate to a manager every alert still undecided after its deadline."""
    ids = open_platform().risk.escalate_overdue()
    console.print(f"Escalated {len(ids):,} overdue alerts.")


@app.command("manager")
def risk_manager(
    mash: Annotated[str, typer.Argument(help="The hub, e.g. MASH-E08000018")],
    user: Annotated[str, typer.Argument(help="A MASH practitioner of that hub")],
    email: Annotated[
        str | None, typer.Option(help="Where escalations are e-mailed (needs SAFEGUARD_SMTP_HOST)")
    ] = None,
) -> None:
    """Name the manager escalated alerts of a hub go to (their inbox, and e-mail if set)."""
    from safeguard.risk.inbox import ManagerError

    try:
        open_platform().risk.inbox.name_manager(mash, user, email)
    except ManagerError as exc:
        raise fail(str(exc)) from None
    console.print(f"{user} is the named manager of {mash}; escalated alerts go to them.")


@app.command("report")
def risk_report(
    la: Annotated[str | None, typer.Option(help="One local authority (ONS code)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Per LA: alerts raised, decided on time, late, never decided, re-opened, outcomes."""
    from rich.table import Table

    if fmt not in ("table", "json"):
        raise fail(f"--format must be table or json, not {fmt!r}")
    la = known_la(la, "--la")
    rows = open_platform().risk.report(la)
    if fmt == "json":
        console.out(json.dumps([r.as_dict() for r in rows], indent=2), highlight=False)
        return
    table = Table("LA", "raised", "on time", "late", "never decided", "open", "escalated",
                  "reopened", "outcomes")  # fmt: skip
    for r in rows:
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r.outcomes.items()))
        table.add_row(r.la_code, *map(str, (r.raised, r.on_time, r.late, r.never_decided,
                      r.open_in_time, r.escalated, r.reopened)), outcomes)  # fmt: skip
    console.print(table)
