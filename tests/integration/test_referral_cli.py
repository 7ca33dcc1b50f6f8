"""`safeguard referrals show|update` on the embedded store: Immigration Enforcement moves a
referral on from the command line, and a move the lifecycle forbids is refused with a sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.bootstrap import bootstrap
from safeguard.cli import app
from safeguard.config import Settings
from tests.integration.test_crime_stats import load

runner = CliRunner(env={"COLUMNS": "200"})


def test_show_and_update_a_referral(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", url)
    platform = bootstrap(Settings(database_url=url))
    try:
        load(platform)
    finally:
        platform.close()
    assert "1 new referrals" in runner.invoke(app, ["stats", "refresh"]).output
    shown = runner.invoke(app, ["referrals", "show", "1", "--as", "caseworker"])
    assert shown.exit_code == 0, shown.output
    assert "Referral 1: received" in shown.output and "under_consideration" in shown.output
    moved = runner.invoke(
        app, ["referrals", "update", "1", "under_consideration", "--note", "allocated"]
    )
    assert moved.exit_code == 0 and "now under consideration" in moved.output
    wrong = runner.invoke(app, ["referrals", "update", "1", "closed"])
    assert wrong.exit_code == 1
    assert "can move to action_taken, no_action, not closed" in wrong.output
    missing = runner.invoke(app, ["referrals", "show", "9"])
    assert missing.exit_code == 1 and "no referral 9" in missing.output
    again = runner.invoke(app, ["referrals", "show", "1"])
    assert "under_consideration: allocated" in again.output
