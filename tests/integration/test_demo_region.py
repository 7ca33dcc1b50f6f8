"""The demo region: every generated feed ingests with zero errors, and a re-run changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from safeguard.bootstrap import Platform
from safeguard.cli import app
from safeguard.demo import run_demo


def test_the_demo_region_ingests_whole_and_idempotently(platform: Platform, tmp_path: Path) -> None:
    first = run_demo(platform, tmp_path / "region", children=1200)
    assert first.submissions and all(not s.duplicate for s in first.submissions)
    assert first.counts["source records"] == sum(first.region.records.values())
    assert first.counts["events"] == first.region.events
    again = run_demo(platform, tmp_path / "region", children=1200)
    assert all(s.duplicate for s in again.submissions)
    assert again.counts == first.counts
    assert set(again.tokens) == set(first.tokens) and again.tokens != first.tokens


def test_demo_command_prints_where_to_look(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/demo.db")
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["demo", "--out", str(tmp_path / "region"), "--children", "1200"]
    )
    assert result.exit_code == 0, result.output
    assert "safeguard serve" in result.output and "demo-mash: sg_" in result.output
    said = " ".join(result.output.split())
    for user in ("demo-analyst", "demo-statistician", "demo-licensing", "demo-auditor"):
        assert f"{user}: sg_" in said
    assert "the national return: /stats" in said and "as demo-statistician" in said
