"""The command line, driven in-process with Typer's CliRunner on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.cli import app
from tests.samples import CRIME, POLICE, TWO_CHILDREN

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    return tmp_path


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "users", "serve", "agencies", "version"):
        assert command in result.output


def test_users_add_prints_a_token_once(embedded_store: Path) -> None:
    result = runner.invoke(
        app, ["users", "add", "hub", "--agency", "MASH-E08000018", "--role", "mash"]
    )
    assert result.exit_code == 0 and "sg_" in result.output
    again = runner.invoke(
        app, ["users", "add", "hub", "--agency", "MASH-E08000018", "--role", "mash"]
    )
    assert again.exit_code == 1 and "already exists" in again.output
    bad = runner.invoke(app, ["users", "add", "x", "--agency", "NOPE", "--role", "mash"])
    assert bad.exit_code == 1 and "not a known agency" in bad.output


def test_ingest_a_region_folder_then_a_bad_file(embedded_store: Path) -> None:
    region = embedded_store / "region" / POLICE
    region.mkdir(parents=True)
    (region / "persons.csv").write_bytes(TWO_CHILDREN)
    (region / "events.csv").write_bytes(CRIME)
    result = runner.invoke(app, ["ingest", str(embedded_store / "region")])
    assert result.exit_code == 0, result.output
    assert "persons.csv" in result.output and "events.csv" in result.output
    bad = embedded_store / "bad.csv"
    bad.write_bytes(TWO_CHILDREN.replace(b"F,S60", b"Q,S60"))
    result = runner.invoke(app, ["ingest", str(bad), "--agency", POLICE])
    assert result.exit_code == 1
    assert "row 1, field 'sex'" in result.output and "nothing from it was written" in result.output


def test_ingest_explains_missing_agency_and_missing_file(embedded_store: Path) -> None:
    result = runner.invoke(app, ["ingest", str(embedded_store / "nope.csv")])
    assert result.exit_code == 1 and "does not exist" in result.output
    file = embedded_store / "p.csv"
    file.write_bytes(TWO_CHILDREN)
    result = runner.invoke(app, ["ingest", str(file)])
    assert result.exit_code == 1 and "--agency" in result.output


def test_network_groups_and_export(embedded_store: Path) -> None:
    from tests.network_samples import feeds

    people, events = feeds()
    (embedded_store / "p.csv").write_bytes(people)
    (embedded_store / "e.csv").write_bytes(events)
    for name in ("p.csv", "e.csv"):
        assert (
            runner.invoke(app, ["ingest", str(embedded_store / name), "--agency", POLICE]).exit_code
            == 0
        )
    listed = runner.invoke(app, ["network", "groups"])
    assert listed.exit_code == 0 and "2 candidate groups" in listed.output
    group = next(w for w in listed.output.split() if w.startswith("G") and len(w) == 9)
    out = embedded_store / "g.graphml"
    done = runner.invoke(app, ["network", "export", "--group", group, "--out", str(out)])
    assert done.exit_code == 0 and out.read_bytes().startswith(b"<?xml")
    csv_out = embedded_store / "g.zip"
    done = runner.invoke(
        app, ["network", "export", "--group", group, "--format", "csv", "--out", str(csv_out)]
    )
    assert done.exit_code == 0 and csv_out.read_bytes()[:2] == b"PK"
    missing = runner.invoke(app, ["network", "export", "--group", "GNOPE", "--out", str(out)])
    assert missing.exit_code == 1 and "no group" in missing.output


def test_users_rotate_replaces_the_token(embedded_store: Path) -> None:
    first = runner.invoke(
        app, ["users", "add", "rms", "--agency", POLICE, "--role", "agency_system"]
    )
    rotated = runner.invoke(app, ["users", "rotate", "rms"])
    assert rotated.exit_code == 0 and "sg_" in rotated.output
    old = first.output.strip().splitlines()[-1]
    new = rotated.output.strip().splitlines()[-1]
    assert old != new
    missing = runner.invoke(app, ["users", "rotate", "nobody"])
    assert missing.exit_code == 1 and "no user called" in missing.output
