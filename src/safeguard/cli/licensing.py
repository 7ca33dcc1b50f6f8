"""`safeguard licensing …`: the register, checks, decisions, out-of-area working, notices."""

from __future__ import annotations

import csv
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from safeguard.cli._common import console, fail, known_la, open_platform

if TYPE_CHECKING:
    from safeguard.domain.actors import Account, User

app = typer.Typer(
    help="Taxi and private-hire licensing: register, checks, out-of-area, notices.",
    no_args_is_help=True,
)
register_app = typer.Typer(help="The register of refusals, suspensions and revocations.")
app.add_typer(register_app, name="register", no_args_is_help=True)

Authority = Annotated[str, typer.Option(help="Your licensing authority's LA code, e.g. E08000018")]


def _officer(authority: str) -> User:
    from safeguard.domain.actors import User

    known_la(authority, "--authority")
    return User(f"cli:{getpass.getuser()}", f"LIC-{authority}", ("licensing_officer",))


def _operator() -> Account:
    from safeguard.ingest.files import CLI_SUBMITTER

    return CLI_SUBMITTER.operator()


@register_app.command("add")
def register_add(
    authority: Authority,
    decision: Annotated[str, typer.Option(help="refused, suspended or revoked")],
    decided_on: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    first_name: Annotated[str, typer.Option()],
    surname: Annotated[str, typer.Option()],
    dob: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    reason: Annotated[str, typer.Option(help="data/licensing_reasons.csv code")] = "not_stated",
    middle_name: Annotated[str, typer.Option()] = "",
    sex: Annotated[str, typer.Option(help="M, F, X or U")] = "",
    driving_licence: Annotated[str, typer.Option(help="DVLA number (16 characters)")] = "",
    postcode: Annotated[str, typer.Option()] = "",
) -> None:
    """Add one refusal, suspension or revocation to the register."""
    raw = dict(locals())  # the options, before anything else is bound here
    from safeguard.licensing.service import LicensingError

    try:
        entry_id = open_platform().licensing.add_entry(raw, _officer(authority))
    except LicensingError as exc:
        raise fail(str(exc)) from None
    console.print(f"Added register entry {entry_id}.")


@register_app.command("import")
def register_import(
    path: Annotated[Path, typer.Argument(help="CSV with the `register add` fields as columns")],
    authority: Authority,
) -> None:
    """Import entries from a CSV: all rows or none (errors name the row and field)."""
    from safeguard.licensing.service import LicensingError

    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = [{"authority": authority, **r} for r in csv.DictReader(fh)]
    except OSError as exc:
        raise fail(f"could not read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise fail(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None
    except csv.Error as exc:
        raise fail(f"{path} is not readable CSV: {exc}") from None
    if not rows:
        raise fail(f"{path} holds no entries; give a header row and one row per entry")
    try:
        ids = open_platform().licensing.import_entries(rows, _officer(authority))
    except LicensingError as exc:
        raise fail(f"{path}: {exc}") from None
    console.print(f"Imported {len(ids)} register entries.")


@app.command("sync")
def sync() -> None:
    """Add an entry for every ingested refusal, suspension or revocation not yet added."""
    added = open_platform().licensing.sync(_operator())
    console.print(f"Added {added} register entries from licensing decisions.")


@app.command("check")
def check(
    authority: Authority,
    first_name: Annotated[str, typer.Option()],
    surname: Annotated[str, typer.Option()],
    dob: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    middle_name: Annotated[str, typer.Option()] = "",
    sex: Annotated[str, typer.Option()] = "",
    driving_licence: Annotated[str, typer.Option()] = "",
    postcode: Annotated[str, typer.Option()] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON")] = False,
) -> None:
    """Check an applicant against the register; the check is recorded and audited."""
    applicant = {k: v for k, v in locals().items() if k not in ("authority", "as_json")}
    from safeguard.licensing.service import LicensingError

    try:
        result = open_platform().licensing.check(applicant, _officer(authority))
    except LicensingError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print(json.dumps({"check_id": result.check_id, "candidates": result.candidates}))  # noqa: T201
        return
    table = Table("entry", "score", "strength", "authority", "decision", "date", "name", "dob")
    for c in result.candidates:
        table.add_row(c["entry_id"], f"{c['score']:.1f}", c["strength"], c["authority"],
                      c["decision"], c["decided_on"], c["name"], c["dob"])  # fmt: skip
    console.print(table)
    console.print(f"Check {result.check_id}: {len(result.candidates)} possible matches.")


@app.command("decide")
def decide(
    check_id: Annotated[int, typer.Argument(help="The check's number")],
    authority: Authority,
    decision: Annotated[
        str, typer.Option(help="no_match, enquiry_sent, granted, refused, deferred")
    ],
    note: Annotated[str, typer.Option(help="Why")] = "",
) -> None:
    """Record the officer's decision on a check (audited)."""
    from safeguard.licensing.service import LicensingError

    try:
        open_platform().licensing.decide(check_id, decision, note, _officer(authority))
    except (LicensingError, LookupError, PermissionError) as exc:
        raise fail(str(exc).strip("'\"")) from None
    console.print(f"Recorded {decision} on check {check_id}.")


@app.command("out-of-area")
def out_of_area(
    area: Annotated[str, typer.Option(help="Only vehicles seen in this LA")] = "",
) -> None:
    """Licensed vehicles repeatedly seen working away from their licensing authority."""
    known_la(area, "--area")
    table = Table("seen in", "plate", "licensed by", "sightings", "days", "of concern", "events")
    for o in open_platform().licensing.out_of_area(area or None):
        events = ", ".join(s.event for s in o.sightings[:3])
        concern = f"yes ({o.concern_nights} nights)" if o.of_concern else "no"
        table.add_row(o.seen_in_la, o.plate, o.licensing_la, str(len(o.sightings)),
                      str(o.days), concern, events)  # fmt: skip
    console.print(table)


@app.command("notices")
def notices(
    raise_new: Annotated[bool, typer.Option("--raise", help="Raise new notices first")] = False,
    authority: Annotated[str, typer.Option(help="Only this authority's notices")] = "",
) -> None:
    """Notices to licensing authorities: their drivers and plates in safeguarding events."""
    known_la(authority, "--authority")
    lic = open_platform().licensing
    if raise_new:
        console.print(f"Raised {lic.raise_notices(_operator())} new notices.")
    table = Table("agency", "subject", "reason", "event")
    for n in lic.notices(f"LIC-{authority}" if authority else None):
        table.add_row(n["agency_code"], n["subject"], n["reason"],
                      f"{n['event_agency']}/{n['event_local_id']}")  # fmt: skip
    console.print(table)


@app.command("sweep")
def sweep() -> None:
    """Check every current licence against the register (run nightly): a licence granted
    after a refusal, suspension or revocation elsewhere raises a notice to its authority."""
    lic = open_platform().licensing
    console.print(f"Raised {lic.sweep(_operator())} new notices.")
    table = Table("agency", "subject", "reason")
    for n in lic.notices():
        if n["subject"].startswith("register:"):
            table.add_row(n["agency_code"], n["subject"], n["reason"])
    console.print(table)


@app.command("compliance")
def compliance() -> None:
    """Per authority: applications checked, checks with matches, decisions, timely entries."""
    table = Table("authority", "applications", "checked", "checks", "with matches",
                  "decisions", "entries", "on time")  # fmt: skip
    for c in open_platform().licensing.compliance():
        share = f"{c['share_checked']:.0%}" if c["share_checked"] is not None else "–"
        table.add_row(c["authority"], str(c["applications"]), f"{c['checked']} ({share})",
                      str(c["checks"]), str(c["checks_with_matches"]),
                      ", ".join(f"{k} {v}" for k, v in c["decisions"].items()),
                      str(c["entries"]), str(c["entries_on_time"]))  # fmt: skip
    console.print(table)
