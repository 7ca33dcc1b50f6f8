"""`safeguard research …` with CliRunner, and the research routes and page in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from safeguard.api.app import create_app
from safeguard.bootstrap import Platform, bootstrap
from safeguard.cli import app
from safeguard.config import Settings
from safeguard.web.templating import SESSION_COOKIE, csrf_token
from tests.research_world import RITA, approved, load
from tests.signin import sign_in

runner = CliRunner(env={"COLUMNS": "200"})


def test_cli_request_approve_extract_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", url)
    platform = bootstrap(Settings(database_url=url, environment="test"))
    load(platform, tmp_path / "region", children=150)
    platform.close()
    args = ["research", "request", "--title", "T", "--purpose", "P", "--approving-body", "REC",
            "--approval-reference", "R1", "--lawful-basis", "6(1)(e)", "--starts-on",
            "2020-01-01", "--ends-on", "2099-01-01", "--researchers", "rita",
            "--as", "rita"]  # fmt: skip
    assert runner.invoke(app, args).stdout.strip() == "Requested research project 1."
    out = tmp_path / "out"
    refused = runner.invoke(app, ["research", "extract", "--project", "1", "--out", str(out),
                                  "--as", "rita"])  # fmt: skip
    assert refused.exit_code == 1 and "approved and in date" in refused.stderr
    assert (
        runner.invoke(app, ["research", "decide", "1", "--approve", "--as", "dora"]).exit_code == 0
    )
    done = runner.invoke(app, ["research", "extract", "--project", "1", "--out", str(out),
                               "--as", "rita"])  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert json.loads((out / "manifest.json").read_text())["k_required"] == 10
    table = tmp_path / "t.csv"
    table.write_text("area,count\nA,30\nB,2\n")
    checked = runner.invoke(app, ["research", "check-output", str(table), "--project", "1",
                                  "--as", "rita"])  # fmt: skip
    assert checked.exit_code == 1
    assert "refuse [threshold] area=B: 2 people in a cell" in checked.stdout


@pytest.fixture
def world(sqlite_platform: Platform, tmp_path: Path) -> tuple[Platform, int]:
    return sqlite_platform, approved(sqlite_platform)


def test_api_roles_and_output_flow(world: tuple[Platform, int]) -> None:
    platform, pid = world
    tokens = {
        name: platform.accounts.add_user(name, "POLICE-E23000011", [role])
        for name, role in (("rita", "researcher"), ("oscar", "output_checker"),
                           ("pat", "practitioner"))
    }  # fmt: skip
    auth = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
    with TestClient(create_app(platform), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/research/projects", headers=auth["pat"]).status_code == 403
        shown = client.get("/api/v1/research/projects", headers=auth["rita"]).json()
        assert shown[0]["status"] == "approved" and "secret" not in shown[0]
        otto = platform.accounts.add_user("otto", "POLICE-E23000011", ["researcher"])
        unnamed = {"Authorization": f"Bearer {otto}"}
        assert client.get("/api/v1/research/projects", headers=unnamed).json() == []
        body = {"tables": {"t.csv": "area,count\nA,30\nB,20\n"}}
        url = f"/api/v1/research/projects/{pid}/outputs"
        assert client.post(url, json=body, headers=auth["oscar"]).status_code == 403
        (out,) = client.post(url, json=body, headers=auth["rita"]).json()
        assert out["status"] == "pending"
        sign_in(client, tokens["oscar"])
        page = client.get("/research/outputs")
        assert page.status_code == 200 and "t.csv" in page.text
        csrf = csrf_token(platform.settings.secret_key, client.cookies.get(SESSION_COOKIE))
        sent = client.post(f"/research/outputs/{out['id']}/decision",
                           data={"decision": "return", "reason": "", "csrf": csrf})  # fmt: skip
        assert sent.status_code == 422 and "say why" in sent.text
        client.post(f"/research/outputs/{out['id']}/decision",
                    data={"decision": "return", "reason": "label B", "csrf": csrf})  # fmt: skip
    (row,) = platform.research.outputs()
    assert (row["status"], row["reason"], row["decided_by"]) == ("returned", "label B", "oscar")
    assert RITA.name == row["submitted_by"]
