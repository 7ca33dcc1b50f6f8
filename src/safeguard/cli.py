"""The `safeguard` command line: Typer + Rich. Each command is a few lines calling a service."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import DBAPIError, OperationalError

from safeguard import __version__
from safeguard.accounts.service import AccountError
from safeguard.api import create_app
from safeguard.bootstrap import Platform, bootstrap
from safeguard.demo import run_demo
from safeguard.domain.codes import load_code_lists
from safeguard.ingest.errors import SubmissionRejected
from safeguard.ingest.files import CLI_SUBMITTER, ingest_jobs, submit_job
from safeguard.progress import progress_bar
from safeguard.sharing.compliance import to_csv
from safeguard.sharing.report_page import report_html

app = typer.Typer(
    name="safeguard",
    help="Multi-agency child-exploitation safeguarding data platform (synthetic data only).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one readable sentence to stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@app.command()
def version() -> None:
    """Print the installed safeguard version."""
    console.print(__version__)


@app.command()
def synth(
    children: Annotated[int, typer.Option(help="How many children (0-17) to make")] = 10_000,
    seed: Annotated[int, typer.Option(help="Same seed, byte-identical output")] = 1,
    out: Annotated[Path, typer.Option(help="Folder to write the feeds to")] = Path("out/region"),
    las: Annotated[int | None, typer.Option(help="Use the first K areas (default all)")] = None,
    noise_scale: Annotated[
        float, typer.Option(help="Recording errors this many times as likely (1 = as documented)")
    ] = 1.0,
) -> None:
    """Generate a synthetic region: one feed per agency plus a truth/ folder."""
    from safeguard.synth import SynthParams, generate_region
    from safeguard.synth.report import summary_table

    with progress_bar() as bar:
        task = bar.add_task("children", total=children)
        try:
            params = SynthParams().with_noise_scale(noise_scale)
            summary = generate_region(
                out, children, seed, las, params, progress=lambda n: bar.advance(task, n)
            )
        except (ValueError, OSError) as exc:
            raise fail(f"could not generate the region: {exc}.") from exc
    console.print(summary_table(summary))


def store_reason(exc: DBAPIError) -> str:
    """The database's own first line, without SQLAlchemy's SQL dump and links."""
    lines = [ln.strip() for ln in str(exc.orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc.orig).__name__


def _platform() -> Platform:
    try:
        return bootstrap()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise fail(f"configuration: {first.get('msg', exc)}") from None
    except OperationalError as exc:
        raise fail(f"cannot open the store: {str(exc.orig).strip()}") from None


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A CSV/JSONL file, or a folder of agency folders")],
    agency: Annotated[
        str | None, typer.Option(help="Submitting agency code (for one file)")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="persons or events (default: from header)")
    ] = None,
) -> None:
    """Ingest agency files: each accepted whole or rejected with row-level errors."""
    platform = _platform()
    try:
        jobs = ingest_jobs(path, agency, kind)
    except ValueError as exc:
        raise fail(str(exc)) from None
    table = Table("file", "agency", "kind", "rows", "new", "versions", "unchanged", "note")
    with progress_bar() as bar:
        task = bar.add_task("ingesting", total=len(jobs))
        for job in jobs:
            bar.update(task, description=f"{job.agency} {job.path.name}")
            try:
                result = submit_job(platform.ingest, job)
            except DBAPIError as exc:
                bar.stop()
                raise fail(
                    f"the store stopped answering while {job.path} was being ingested "
                    f"({store_reason(exc)}); what it was writing was rolled back, so send the "
                    "file again once the store is back (anything already stored is skipped)"
                ) from None
            except SubmissionRejected as exc:
                bar.stop()
                for error in exc.errors[:20]:
                    err_console.print(f"  {job.path}: {error.sentence()}")
                more = len(exc.errors) - 20
                if more > 0:
                    err_console.print(f"  … and {more} more")
                raise fail(
                    f"{job.path} was rejected with {len(exc.errors)} errors; nothing "
                    "from it was written"
                ) from None
            table.add_row(
                job.path.name,
                result.agency,
                result.kind,
                str(result.rows),
                str(result.new_records),
                str(result.new_versions),
                str(result.unchanged),
                "already received" if result.duplicate else "",
            )
            bar.advance(task)
    console.print(table)


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Where to write the region")] = Path("var/demo-region"),
) -> None:
    """Build a synthetic region, ingest it on the embedded store and print where to look."""
    platform = _platform()
    with console.status("starting") as status:
        result = run_demo(platform, out, step=lambda text: status.update(text))
    table = Table("what", "count", title="safeguard demo: synthetic region loaded")
    table.add_row("children generated", f"{result.region.children:,}")
    table.add_row("adults generated", f"{result.region.adults:,}")
    table.add_row("agency feeds ingested", f"{len(result.submissions):,}")
    for what, count in result.counts.items():
        table.add_row(f"{what} in the store", f"{count:,}")
    table.add_row("exploitation scenarios (truth)", f"{sum(result.region.scenarios.values()):,}")
    console.print(table)
    settings = platform.settings
    console.print(f"Store: {settings.database_url}   Region files: {out}")
    console.print(
        f"Next: [bold]safeguard serve[/] then open http://{settings.host}:{settings.port}/"
        " and sign in with a token below (API docs at /docs)."
    )
    for name, token in result.tokens.items():
        console.print(f"  {name}: {token}", highlight=False, soft_wrap=True)


identity_app = typer.Typer(
    help="Link agencies' person records into children with stable child references.",
    no_args_is_help=True,
)
app.add_typer(identity_app, name="identity")


@identity_app.command("cluster")
def identity_cluster(
    input: Annotated[Path, typer.Option("--input", help="CSV or Parquet of person records.")],
    output: Annotated[Path, typer.Option("--output", help="Where to write record_id,child_ref.")],
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
) -> None:
    """Give every record a child reference, training a model on the file itself (no labels)."""
    from safeguard.analytics.linkage_engine import EngineUnavailable
    from safeguard.identity.service import InputError, cluster_file

    if engine not in ("duckdb", "spark"):
        raise fail(f"--engine must be duckdb or spark, not {engine!r}.")
    try:
        with console.status("linking records") as status:
            summary = cluster_file(
                input,
                output,
                "spark" if engine == "spark" else "duckdb",
                progress=lambda msg: status.update(msg),
            )
    except (InputError, EngineUnavailable) as exc:
        raise fail(str(exc)) from exc
    console.print(
        f"{summary['records']:,} records → {summary['children']:,} children "
        f"({summary['pairs']:,} scored pairs); wrote {output}"
    )


@identity_app.command("link")
def identity_link() -> None:
    """Re-link every person record in the store, keeping every existing reference."""
    from safeguard.identity.linking import IdentityError

    platform = _platform()
    try:
        with console.status("linking records") as status:
            summary = platform.identity.link(CLI_SUBMITTER.operator(), progress=status.update)
    except IdentityError as exc:
        raise fail(str(exc)) from None
    table = Table("records", "references", "new", "merges", "splits", "to review", "model")
    table.add_row(*(f"{v:,}" for v in summary.__dict__.values()))
    console.print(table)


@identity_app.command("review")
def identity_review() -> None:
    """List record pairs waiting for a reviewer (most likely first)."""
    table = Table("record", "record", "probability", "weight")
    for item in _platform().identity.review_queue(CLI_SUBMITTER.operator("mash")):
        table.add_row(
            item.record_id_l,
            item.record_id_r,
            f"{item.match_probability:.3f}",
            f"{item.match_weight:.2f}",
        )
    console.print(table)


@identity_app.command("decide")
def identity_decide(
    left: Annotated[str, typer.Argument(help="A record id, AGENCY/local_id")],
    right: Annotated[str, typer.Argument(help="The other record id")],
    same: Annotated[bool, typer.Option("--same/--not-same", help="Same child or not")],
    reason: Annotated[str, typer.Option(help="Why (kept with the decision)")],
) -> None:
    """Record a reviewer's decision; every later re-link respects it."""
    from safeguard.identity.linking import IdentityError

    try:
        _platform().identity.record_decision(
            CLI_SUBMITTER.operator("mash"), left, right, "same" if same else "not_same", reason
        )
    except IdentityError as exc:
        raise fail(str(exc)) from None
    console.print("Recorded; it holds for every later `safeguard identity link`.")


@app.command("backup")
def backup_store(
    out: Annotated[Path, typer.Argument(help="The backup file to write")],
) -> None:
    """Write a consistent copy of the store (SQLite online backup, or pg_dump)."""
    from safeguard.store.backup import BackupError, backup

    platform = _platform()
    try:
        path = backup(platform.engine, out)
    except BackupError as exc:
        raise fail(str(exc)) from None
    console.print(
        f"Backed up {platform.settings.database_url} to {path}. "
        "Check it with `safeguard audit verify` after a restore."
    )


@app.command("restore")
def restore_store(
    source: Annotated[Path, typer.Argument(help="A file made by `safeguard backup`")],
    replace: Annotated[bool, typer.Option(help="Overwrite a store that holds data")] = False,
) -> None:
    """Restore the store from a backup, then verify the audit chain."""
    from safeguard.bootstrap import bootstrap
    from safeguard.config import Settings
    from safeguard.store.backup import BackupError, restore
    from safeguard.store.engine import build_engine

    settings = Settings()
    engine = build_engine(settings.database_url)
    try:
        restore(engine, source, replace=replace)
    except BackupError as exc:
        raise fail(str(exc)) from None
    result = bootstrap(settings).audit.verify()
    if result.problem is not None:
        raise fail(
            f"restored, but the audit log is broken at seq {result.problem.seq} "
            f"({result.problem.kind})"
        )
    console.print(f"Restored from {source}; the audit log verifies ({result.checked:,} entries).")


users_app = typer.Typer(help="Manage users and their tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name")],
    agency: Annotated[str, typer.Option(help="Agency code, e.g. MASH-E08000018")],
    role: Annotated[list[str], typer.Option(help="Role (repeat for several)")],
) -> None:
    """Create a user and print their token once (only its hash is kept)."""
    platform = _platform()
    try:
        token = platform.accounts.add_user(name, agency, role)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Token for {name} (shown once, keep it safe):")
    console.print(token, soft_wrap=True, highlight=False)


@users_app.command("rotate")
def users_rotate(name: Annotated[str, typer.Argument(help="User name")]) -> None:
    """Issue a new token for a user; the old one stops working at once."""
    try:
        token = _platform().accounts.issue_token(name)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"New token for {name} (shown once; the old token no longer works):")
    console.print(token, soft_wrap=True, highlight=False)


@users_app.command("revoke")
def users_revoke(name: Annotated[str, typer.Argument(help="User name")]) -> None:
    """Revoke a user's token at once."""
    try:
        _platform().accounts.revoke(name)
    except AccountError as exc:
        raise fail(str(exc)) from None
    console.print(f"Revoked {name}.")


stats_app = typer.Typer(help="National CSAE crime statistics.", no_args_is_help=True)
app.add_typer(stats_app, name="stats")


@stats_app.command("refresh")
def stats_refresh() -> None:
    """Re-derive group-based flags and raise the referrals the rule requires."""
    result = _platform().crime.refresh()
    console.print(
        f"{result.crimes:,} crimes, {result.group_based:,} group-based; "
        f"{result.new_referrals:,} new referrals."
    )


@stats_app.command("report")
def stats_report(
    year: Annotated[int, typer.Option(help="Calendar year of the return")],
    out: Annotated[Path, typer.Option(help="Folder for index.html, CSVs and the ODS workbook")],
) -> None:
    """Write the national return for a year (disclosure-controlled) as HTML, CSV and ODS."""
    from safeguard.crime.national_return import national_return_files

    platform = _platform()
    try:
        files = national_return_files(platform.crime, year, out)
    except OSError as exc:
        raise fail(f"could not write the report to {out}: {exc}") from None
    console.print(f"Wrote {len(files)} files; open {files[0]}")


network_app = typer.Typer(
    help="Offender networks: candidate groups and exports.", no_args_is_help=True
)
app.add_typer(network_app, name="network")


@network_app.command("groups")
def network_groups(
    reason: Annotated[str, typer.Option(help="Why you need this (audited)")] = "network analysis",
) -> None:
    """List candidate offending groups, most harmful first (people pseudonymised)."""
    from safeguard.network.service import cli_analyst

    overview = _platform().network.overview(cli_analyst(), reason)
    table = Table(
        "group",
        "members",
        "victims",
        "evidence",
        "sexual-offence members",
        "harm",
        "top member",
        title=f"{len(overview['groups'])} candidate groups from {overview['events']:,} events",
    )
    for g in overview["groups"]:
        table.add_row(
            g["group_id"],
            str(g["members"]),
            str(g["victims"]),
            str(g["evidence_items"]),
            str(g["sexual_offence_members"]),
            f"{g['harm']:,.0f}",
            g["top_member"],
        )
    console.print(table)


@network_app.command("export")
def network_export(
    out: Annotated[Path, typer.Option(help="File to write")],
    group: Annotated[str | None, typer.Option(help="Group id, e.g. G1A2B3C4D")] = None,
    person: Annotated[str | None, typer.Option(help="Person pseudonym (P-…) or id")] = None,
    format: Annotated[str, typer.Option(help="graphml, or csv (a zip of nodes/edges)")] = "graphml",
) -> None:
    """Export a group's or a person's link chart for i2-style tools."""
    from safeguard.network.service import NetworkNotFound, cli_analyst

    if (group is None) == (person is None):
        raise fail("name exactly one of --group or --person")
    try:
        content = _platform().network.export(cli_analyst(), format, group_id=group, person=person)
    except (NetworkNotFound, ValueError) as exc:
        raise fail(str(exc)) from None
    out.write_bytes(content)
    console.print(f"Wrote {out} ({len(content):,} bytes).")


@app.command()
def agencies() -> None:
    """List the agency codes the platform knows."""
    table = Table("code", "kind", "name")
    for agency in load_code_lists().agencies.values():
        table.add_row(agency.code, agency.kind, agency.name)
    console.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
) -> None:
    """Serve the API, its docs (/docs) and the web pages."""
    import uvicorn

    platform = _platform()
    host = host or platform.settings.host
    port = port or platform.settings.port
    console.print(f"safeguard on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(platform), host=host, port=port, log_level="warning")


sharing_app = typer.Typer(
    help="Mandatory sharing: compliance with obligations.", no_args_is_help=True
)
app.add_typer(sharing_app, name="sharing")


def _day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time(), UTC)
    except ValueError:
        raise fail(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


@sharing_app.command("report")
def sharing_report(
    start: Annotated[
        str | None, typer.Option("--from", help="First event date, YYYY-MM-DD")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last event date, YYYY-MM-DD")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or html")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead")] = None,
) -> None:
    """Per agency and obligation: shares due, on time, late, never made, median delay."""
    if fmt not in ("table", "csv", "html"):
        raise fail(f"--format must be table, csv or html, not {fmt!r}")
    first, last = _day(start, "--from"), _day(end, "--to")
    rows = _platform().sharing.report(first, last + timedelta(days=1) if last else None)
    if fmt == "table":
        table = Table("agency", "obligation", "due", "on time", "late", "never made", "median h")
        for r in rows:
            median = "" if r.median_delay_hours is None else f"{r.median_delay_hours:g}"
            table.add_row(r.agency, r.obligation, *map(str, (r.due, r.on_time, r.late)),
                          str(r.never_made), median)  # fmt: skip
        console.print(table)
        return
    text = to_csv(rows) if fmt == "csv" else report_html(rows, start, end)
    if out is None:
        console.out(text, end="", highlight=False)
    else:
        out.write_text(text, "utf-8")
        console.print(f"Wrote {out}.")


audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the whole hash chain and its signed checkpoints; name the first break."""
    platform = _platform()
    with progress_bar() as bar:
        task = bar.add_task("verifying", total=None)
        result = platform.audit.verify(
            lambda done, total: bar.update(task, completed=done, total=total)
        )
    if result.problem is not None:
        p = result.problem
        raise fail(f"the audit log is broken at seq {p.seq} ({p.kind}): {p.message}")
    console.print(
        f"The audit log is intact: {result.checked:,} entries, {result.checkpoints:,} signed "
        "checkpoints."
    )


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Sign the current end of the log (run it regularly, e.g. from cron)."""
    seq = _platform().audit.checkpoint()
    console.print(f"Signed checkpoint at seq {seq}.")


@audit_app.command("sar")
def audit_sar(
    ref: Annotated[str, typer.Argument(help="Child reference (or person id)")],
    out: Annotated[Path, typer.Option(help="Folder to write the export into")],
) -> None:
    """Subject access: what is held about a child and who accessed it, as a readable report."""
    try:
        report = _platform().audit.subject_access(ref, out)
    except LookupError as exc:
        raise fail(str(exc)) from None
    console.print(f"Wrote {report} (with held.json and access_log.csv).")


@audit_app.command("break-glass")
def audit_break_glass() -> None:
    """List break-glass reads awaiting the data-protection officer's review."""
    table = Table("id", "when", "who", "role", "agency", "person", "reason")
    for b in _platform().audit.break_glass_queue():
        table.add_row(str(b["id"]), str(b["at"])[:19], b["user_name"], b["role"],
                      b["agency_code"], b["person_id"], b["reason"])  # fmt: skip
    console.print(table)


@audit_app.command("review")
def audit_review(
    entry: Annotated[int, typer.Argument(help="Break-glass id from `audit break-glass`")],
    by: Annotated[str, typer.Option(help="Reviewer's name")],
    note: Annotated[str, typer.Option(help="The review's conclusion")],
) -> None:
    """Record the data-protection officer's review of a break-glass read."""
    if not _platform().audit.review_break_glass(entry, by, note):
        raise fail(f"no break-glass read {entry} is awaiting review")
    console.print(f"Reviewed break-glass read {entry}.")


def _add_licensing() -> None:
    from safeguard.cli_licensing import licensing_app

    app.add_typer(licensing_app, name="licensing")


_add_licensing()


def main() -> None:
    """Entry point: any error nobody foresaw still ends in one sentence, not a traceback."""
    import logging
    import os

    if not os.environ.get("SAFEGUARD_DEBUG"):
        # psycopg logs a warning of its own when it tears down a COPY on a lost connection;
        # the command says what happened in one sentence, so keep the terminal to that.
        logging.getLogger("psycopg").setLevel(logging.ERROR)
    try:
        app()
    except DBAPIError as exc:
        if os.environ.get("SAFEGUARD_DEBUG"):
            raise
        err_console.print(
            f"[bold red]error:[/] the store failed ({store_reason(exc)}); the work in progress "
            "was rolled back. Try again once the store answers."
        )
        raise SystemExit(1) from None
    except Exception as exc:  # the last line of defence for a person at a terminal
        if os.environ.get("SAFEGUARD_DEBUG"):
            raise
        err_console.print(
            f"[bold red]error:[/] unexpected {type(exc).__name__}: {exc}. "
            "Run again with SAFEGUARD_DEBUG=1 to see where it happened."
        )
        raise SystemExit(1) from None


risk_app = typer.Typer(
    help="Risk: alerts from indicators combined across agencies.", no_args_is_help=True
)
app.add_typer(risk_app, name="risk")


@risk_app.command("run")
def risk_run() -> None:
    """Score every child with events and raise, update or reopen their alerts."""
    r = _platform().risk.run()
    console.print(
        f"Scored {r.children:,} people: {r.raised:,} alerts raised, {r.reopened:,} reopened, "
        f"{r.updated:,} updated."
    )


@risk_app.command("escalate")
def risk_escalate() -> None:
    """Escalate to a manager every alert still undecided after its deadline."""
    ids = _platform().risk.escalate_overdue()
    console.print(f"Escalated {len(ids):,} overdue alerts.")


@risk_app.command("report")
def risk_report(
    la: Annotated[str | None, typer.Option(help="One local authority (ONS code)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Per LA: alerts raised, decided on time, late, never decided, re-opened, outcomes."""
    if fmt not in ("table", "json"):
        raise fail(f"--format must be table or json, not {fmt!r}")
    rows = _platform().risk.report(la)
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
