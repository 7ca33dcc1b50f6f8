"""`safeguard audit …`: the tamper-evident audit log, subject access and break-glass review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@app.command("verify")
def audit_verify() -> None:
    """Walk the whole hash chain, its chained signed checkpoints and the signed head kept
    outside the database; count every kind of tampering; when intact, sign the end."""
    from safeguard.progress import progress_bar

    platform = open_platform()
    with progress_bar() as bar:
        task = bar.add_task("verifying", total=None)
        result = platform.audit.verify(
            lambda done, total: bar.update(task, completed=done, total=total)
        )
    if result.problem is not None:
        p = result.problem
        found = " ".join(result.sentences())
        raise fail(
            f"The audit log has been tampered with. {found} It is first broken at seq {p.seq} "
            f"({p.kind}): {p.message}."
        )
    signed = f" Signed its end at seq {result.signed.seq}." if result.signed else ""
    console.print(
        f"The audit log is intact: {result.checked:,} entries, {result.checkpoints:,} signed "
        f"checkpoints.{signed}"
    )


@app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the current end of the log (also done by every `audit verify` and automatically)."""
    signed = open_platform().audit.checkpoint()
    console.print(f"Signed checkpoint at seq {signed.seq if signed else 0}.")


@app.command("sar")
def audit_sar(
    ref: Annotated[str, typer.Argument(help="Child reference (or person id)")],
    out: Annotated[Path, typer.Option(help="Folder to write the export into")],
) -> None:
    """Subject access: what is held about a child and who accessed it, as a readable report."""
    try:
        report = open_platform().audit.subject_access(ref, out)
    except LookupError as exc:
        raise fail(str(exc)) from None
    console.print(f"Wrote {report} (with held.json and access_log.csv).")


@app.command("break-glass")
def audit_break_glass() -> None:
    """List break-glass reads awaiting the data-protection officer's review."""
    from rich.table import Table

    table = Table("id", "when", "who", "role", "agency", "person", "reason")
    for b in open_platform().audit.break_glass_queue():
        table.add_row(str(b["id"]), str(b["at"])[:19], b["user_name"], b["role"],
                      b["agency_code"], b["person_id"], b["reason"])  # fmt: skip
    console.print(table)


@app.command("review")
def audit_review(
    entry: Annotated[int, typer.Argument(help="Break-glass id from `audit break-glass`")],
    by: Annotated[str, typer.Option(help="Reviewer's name")],
    note: Annotated[str, typer.Option(help="The review's conclusion")],
) -> None:
    """Record the data-protection officer's review of a break-glass read."""
    if not open_platform().audit.review_break_glass(entry, by, note):
        raise fail(f"no break-glass read {entry} is awaiting review")
    console.print(f"Reviewed break-glass read {entry}.")
