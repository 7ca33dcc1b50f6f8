"""`safeguard risk run|escalate|report` on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.cli import app
from tests.samples import HEALTH, POLICE, events_csv, persons_csv

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{db}")
    files = {
        "p.csv": (persons_csv({"local_id": "P1"}), POLICE),
        "h.csv": (persons_csv({"local_id": "H1"}), HEALTH),
        "e.csv": (
            events_csv(
                *({"local_id": f"M{d}", "occurred_at": f"2024-03-{d:02d}"} for d in (1, 10, 20))
            ),  # fmt: skip
            POLICE,
        ),
        "he.csv": (
            events_csv(
                {
                    "local_id": "HE1",
                    "event_type": "pregnancy",
                    "occurred_at": "2024-03-25",
                    "participants": "subject:H1",
                }
            ),
            HEALTH,
        ),  # fmt: skip
    }
    for name, (content, agency) in files.items():
        (tmp_path / name).write_bytes(content)
        result = runner.invoke(app, ["ingest", str(tmp_path / name), "--agency", agency])
        assert result.exit_code == 0, result.output
    return db


def test_risk_commands(store: Path) -> None:
    run = runner.invoke(app, ["risk", "run"])
    assert run.exit_code == 0 and "0 alerts raised" in run.output  # raised already at ingest
    esc = runner.invoke(app, ["risk", "escalate"])
    assert esc.exit_code == 0 and "Escalated" in esc.output
    table = runner.invoke(app, ["risk", "report"])
    assert table.exit_code == 0 and "E08000018" in table.output
    out = runner.invoke(app, ["risk", "report", "--format", "json", "--la", "E08000018"])
    assert json.loads(out.output)[0]["raised"] == 1
    bad = runner.invoke(app, ["risk", "report", "--format", "pdf"])
    assert bad.exit_code == 1 and "table or json" in bad.output


def test_naming_the_hubs_manager(store: Path) -> None:
    added = runner.invoke(
        app, ["users", "add", "lead", "--agency", "MASH-E08000018", "--role", "mash"]
    )
    assert added.exit_code == 0, added.output
    named = runner.invoke(
        app, ["risk", "manager", "MASH-E08000018", "lead", "--email", "lead@hub.example"]
    )
    assert named.exit_code == 0 and "named manager of MASH-E08000018" in named.output
    wrong = runner.invoke(app, ["risk", "manager", "MASH-E08000035", "lead"])
    assert wrong.exit_code == 1 and "not a MASH practitioner of MASH-E08000035" in wrong.output
