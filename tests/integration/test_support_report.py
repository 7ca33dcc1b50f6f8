"""The support accountability report (issue 17): per LA, offers on time, late, never made and
pending, uptake and the median days to first contact; full inside the MASH, under disclosure
control outside it; the same figures from the service, the API (JSON, CSV), the page and the
CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from safeguard.api import create_app
from safeguard.cli import app
from safeguard.support.service import SupportForbidden
from tests.integration.test_support_offers import support_event
from tests.risk_samples import Env, make_env
from tests.samples import CRIME, MASH, POLICE, TWO_CHILDREN

RIGHT = "E08000018"


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    for e in make_env(store_url):
        e.submit(TWO_CHILDREN, POLICE)
        e.submit(CRIME, POLICE)
        offered = support_event("S1", "support_offered", "2024-04-02T10:00:00", service="isva")
        e.submit(offered, POLICE)
        e.clock.now = datetime(2024, 4, 10, tzinfo=UTC)
        yield e


def test_the_hub_reads_its_area_in_full(env: Env) -> None:
    [row] = env.platform.support.report_for(env.user("hub", MASH, "mash"))
    assert (row.la_code, row.victims, row.offers_due) == (RIGHT, 2, 4)
    # ISVA offered 12.5 hours after the crime (on time); the return interview never made
    # (due 5 March); CAMHS and the school team still in time
    assert (row.on_time, row.late, row.never_made, row.pending) == (1, 0, 1, 2)
    assert (row.accepted, row.uptake_percent, row.median_days_to_contact) == (0, 0.0, 0.5)
    assert not row.protected


def test_outside_the_hub_small_counts_are_withheld(env: Env) -> None:
    [row] = env.platform.support.report_for(env.user("stats", POLICE, "statistician"))
    assert row.protected and row.on_time is None and row.never_made is None
    assert row.median_days_to_contact is None  # too few offers made to publish a median
    with pytest.raises(SupportForbidden):
        env.platform.support.report_for(env.user("officer", POLICE, "practitioner"))
    # a period before anything happened is empty
    before = env.platform.support.report(None, datetime(2024, 1, 1, tzinfo=UTC), protected=False)
    assert before == []


def test_api_csv_and_page_carry_the_same_figures(env: Env) -> None:
    token = env.platform.accounts.add_user("hub2", MASH, ["mash"])
    client = TestClient(create_app(env.platform))
    auth = {"Authorization": f"Bearer {token}"}
    [row] = client.get("/api/v1/support/report", headers=auth).json()
    assert (row["on_time"], row["never_made"], row["pending"]) == (1, 1, 2)
    text = client.get("/api/v1/support/report.csv", headers=auth).text
    [line] = list(csv.DictReader(io.StringIO(text)))
    assert (line["la_code"], line["offers_due"], line["never_made"]) == (RIGHT, "4", "1")
    statistician = env.platform.accounts.add_user("st", POLICE, ["statistician"])
    text = client.get(
        "/api/v1/support/report.csv", headers={"Authorization": f"Bearer {statistician}"}
    ).text
    assert "[c]" in text
    denied = env.platform.accounts.add_user("pr", POLICE, ["practitioner"])
    assert client.get("/api/v1/support/report", headers={"Authorization": f"Bearer {denied}"}
                      ).status_code == 403  # fmt: skip


def test_cli_writes_html_with_the_chart_and_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{db}")
    runner = CliRunner(env={"COLUMNS": "200"})
    for name, content in (("p.csv", TWO_CHILDREN), ("c.csv", CRIME)):
        (tmp_path / name).write_bytes(content)
        result = runner.invoke(app, ["ingest", str(tmp_path / name), "--agency", POLICE])
        assert result.exit_code == 0, result.output
    out = tmp_path / "support.html"
    result = runner.invoke(app, ["support", "report", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<svg" in html and "Rotherham" in html and "[c]" in html
    result = runner.invoke(app, ["support", "report", "--audience", "mash", "--from", "2024-03-01"])
    assert result.exit_code == 0 and f"{RIGHT},2,4," in result.output, result.output
    result = runner.invoke(app, ["support", "report", "--format", "pdf"])
    assert result.exit_code == 1 and "--format must be html or csv" in result.output
    result = runner.invoke(app, ["support", "escalate"])
    assert result.exit_code == 0 and "Escalated 4 overdue support offers." in result.output
