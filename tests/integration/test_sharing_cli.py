"""`safeguard sharing report`, `safeguard audit verify|checkpoint|sar` on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from safeguard.cli import app
from tests.samples import CRIME, POLICE, TWO_CHILDREN

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{db}")
    (tmp_path / "p.csv").write_bytes(TWO_CHILDREN)
    (tmp_path / "e.csv").write_bytes(CRIME)
    for name in ("p.csv", "e.csv"):
        result = runner.invoke(app, ["ingest", str(tmp_path / name), "--agency", POLICE])
        assert result.exit_code == 0, result.output
    return db


def test_sharing_report_as_table_csv_and_html(store: Path, tmp_path: Path) -> None:
    table = runner.invoke(app, ["sharing", "report"])
    assert table.exit_code == 0 and "police-csc-child-sexual-offence" in table.output
    csv = runner.invoke(app, ["sharing", "report", "--format", "csv", "--from", "2024-04-01"])
    assert csv.output.splitlines()[1].startswith(f"{POLICE},police-csc-child-sexual-offence,1,")
    out = tmp_path / "r.html"
    html = runner.invoke(app, ["sharing", "report", "--format", "html", "--out", str(out)])
    assert html.exit_code == 0 and "<svg" in out.read_text()
    bad = runner.invoke(app, ["sharing", "report", "--from", "April"])
    assert bad.exit_code == 1 and "not a date" in bad.output


def test_audit_verify_checkpoint_and_a_tampered_log(store: Path) -> None:
    assert runner.invoke(app, ["audit", "checkpoint"]).exit_code == 0
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    engine = create_engine(f"sqlite:///{store}")
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_log_no_update"))
        conn.execute(text("UPDATE audit_log SET user_name = 'nobody' WHERE seq = 1"))
    engine.dispose()
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at seq 1 (edited)" in broken.output


def test_audit_sar_writes_a_readable_report(store: Path, tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{store}")
    with engine.connect() as conn:
        person = conn.execute(
            text("SELECT person_id FROM source_records WHERE local_id = 'P1'")
        ).scalar_one()
    engine.dispose()
    result = runner.invoke(app, ["audit", "sar", person, "--out", str(tmp_path / "sar")])
    assert result.exit_code == 0, result.output
    assert "Subject access report" in (tmp_path / "sar" / "report.md").read_text()
    missing = runner.invoke(app, ["audit", "sar", "SG-0", "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "no child" in missing.output


def test_break_glass_reads_queue_for_review(store: Path) -> None:
    from safeguard.bootstrap import bootstrap

    platform = bootstrap()
    leeds = platform.accounts.authenticate(
        platform.accounts.add_user("leeds", "CSC-E08000035", ["practitioner"])
    )
    assert leeds is not None
    with platform.uow() as uow:
        person = uow.records.history(POLICE, "P1")[0].person_id
    platform.sharing.chronology(
        leeds, person, "urgent", "child missing overnight, police unreachable"
    )
    platform.close()
    queue = runner.invoke(app, ["audit", "break-glass"])
    assert queue.exit_code == 0 and "police unreachable" in queue.output
    done = runner.invoke(app, ["audit", "review", "1", "--by", "dpo", "--note", "justified"])
    assert done.exit_code == 0
    again = runner.invoke(app, ["audit", "review", "1", "--by", "dpo", "--note", "x"])
    assert again.exit_code == 1 and "awaiting review" in again.output
    assert "police unreachable" not in runner.invoke(app, ["audit", "break-glass"]).output
