"""`safeguard research …`: projects, approval, extracts and output checks (docs/research.md)."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from safeguard.cli._common import console, fail, open_platform

if TYPE_CHECKING:
    from safeguard.domain.actors import User

app = typer.Typer(
    help="Research: governed projects, de-identified extracts, checked outputs.",
    no_args_is_help=True,
)

As = Annotated[str, typer.Option("--as", help="Your user name (defaults to your login)")]


def _user(name: str, role: str) -> User:
    from safeguard.domain.actors import User

    return User(name or f"cli:{getpass.getuser()}", "research", (role,))


@app.command("request")
def request(
    title: Annotated[str, typer.Option()],
    purpose: Annotated[str, typer.Option()],
    approving_body: Annotated[str, typer.Option(help="e.g. the research ethics committee")],
    approval_reference: Annotated[str, typer.Option()],
    lawful_basis: Annotated[str, typer.Option(help="UK GDPR Art. 6 and Art. 9 conditions")],
    starts_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    ends_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    researchers: Annotated[str, typer.Option(help="user names, comma-separated")],
    unit: Annotated[str, typer.Option(help="child, event or crime")] = "child",
    variables: Annotated[str, typer.Option(help="comma-separated; empty = the defaults")] = "",
    k: Annotated[int, typer.Option(help="k-anonymity")] = 10,
    l_diversity: Annotated[int, typer.Option(help="l for sensitive attributes (0 = 2)")] = 0,
    as_: As = "",
) -> None:
    """Record a project request; it yields nothing until the data-protection officer approves it."""
    raw = dict(locals())
    raw.pop("as_")
    from safeguard.research.service import ResearchError

    try:
        pid = open_platform().research.request(raw, _user(as_, "researcher"))
    except ResearchError as exc:
        raise fail(str(exc)) from None
    console.print(f"Requested research project {pid}.")


@app.command("decide")
def decide(
    project: Annotated[int, typer.Argument()],
    approve: Annotated[bool, typer.Option("--approve/--reject")],
    reason: Annotated[str, typer.Option()] = "",
    as_: As = "",
) -> None:
    """The data-protection officer approves or rejects a project."""
    from safeguard.research.service import ResearchError

    try:
        open_platform().research.decide(project, approve, _user(as_, "auditor"), reason)
    except ResearchError as exc:
        raise fail(str(exc)) from None
    console.print(f"Project {project} {'approved' if approve else 'rejected'}.")


@app.command("extract")
def extract(
    project: Annotated[int, typer.Option("--project")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the extract and manifest")],
    as_: As = "",
) -> None:
    """Write the project's de-identified extract and its manifest into OUT."""
    from safeguard.research.service import ResearchError

    try:
        m = open_platform().research.extract(project, _user(as_, "researcher"), out)
    except ResearchError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"could not write to {out}: {exc.strerror}") from None
    console.print(
        f"{m['records_released']} records written ({m['records_suppressed']} suppressed, "
        f"{m['share_suppressed']:.2%}); k={m['k_achieved']}, l={m['l_achieved']}; "
        f"generalised to {json.dumps(m['generalisation'])}; manifest {out / 'manifest.json'}"
    )


@app.command("check-output")
def check_output(
    files: Annotated[list[Path], typer.Argument(help="CSV tables with a `count` column")],
    project: Annotated[int, typer.Option("--project")],
    as_: As = "",
) -> None:
    """Check tables for release; refused ones name the rule and the cell, the rest wait for an
    output checker. Exits 1 if any table is refused."""
    from safeguard.research.output_check import OutputError
    from safeguard.research.service import ResearchError

    try:
        texts = {f.name: f.read_text(encoding="utf-8") for f in files}
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"could not read a table: {exc}") from None
    try:
        results = open_platform().research.submit_outputs(project, texts, _user(as_, "researcher"))
    except (ResearchError, OutputError) as exc:
        raise fail(str(exc)) from None
    refused = False
    for r in results:
        console.print(f"output {r['id']} {r['file']}: {r['status']}", markup=False)
        for f in r["findings"]:
            line = f"  {f['verdict']} [{f['rule']}] {f['where']}: {f['message']}"
            console.print(line, markup=False, highlight=False)
        refused |= r["status"] == "refused"
    if refused:
        raise typer.Exit(1)


@app.command("review")
def review(
    output: Annotated[int, typer.Argument()],
    approve: Annotated[bool, typer.Option("--approve/--return")],
    reason: Annotated[str, typer.Option()] = "",
    as_: As = "",
) -> None:
    """The output checker approves an output for release or returns it with reasons."""
    from safeguard.research.service import ResearchError

    try:
        open_platform().research.decide_output(
            output, approve, reason, _user(as_, "output_checker")
        )
    except ResearchError as exc:
        raise fail(str(exc)) from None
    console.print(f"Output {output} {'approved' if approve else 'returned'}.")
