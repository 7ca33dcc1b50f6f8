"""Every command that reads a file, given damaged files: a non-zero exit and one readable
sentence, never a traceback, and nothing written to the store."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner, Result

from safeguard.cli import app
from tests.feed_fuzz import Feed, any_feed

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(autouse=True)
def embedded_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    return tmp_path


def assert_one_sentence(result: Result) -> None:
    """A refusal: exit 1, an ``error:`` sentence, no traceback, no unforeseen exception."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert "error:" in result.output and "unexpected" not in result.output, result.output


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


GOOD_CLUSTER_CSV = (
    b"record_id,first_name,surname,dob,sex,postcode\nr1,Ann,Lee,2010-01-01,F,S60 1AA\n"
)
BAD_CLUSTER_INPUTS = {
    "empty.csv": b"",
    "bom-only.csv": b"\xef\xbb\xbf",
    "not-utf8.csv": GOOD_CLUSTER_CSV.replace(b"Ann", b"\xff\xfe"),
    "ragged.csv": GOOD_CLUSTER_CSV + b"r2,Bob\n",
    "unclosed-quote.csv": GOOD_CLUSTER_CSV + b'r3,"Bob,Lee,2010-01-01,M,S60 1AA\n',
    "dup-header.csv": b"record_id,record_id,first_name,surname,dob,sex,postcode\n1,1,a,b,c,d,e\n",
    "header-only.csv": GOOD_CLUSTER_CSV.split(b"\n")[0] + b"\n",
    "random.parquet": b"PAR1\x00\x01garbage",
    "truncated.parquet": _parquet(pd.DataFrame({"record_id": ["a"]}))[:20],
    "wrong-columns.parquet": _parquet(pd.DataFrame({"x": [1, 2]})),
}
#: What agencies really hold: linkage takes it, says what it could not read, and never refuses
#: the file for it (only a missing required column or an unreadable file is an error).
MESSY_CLUSTER_INPUTS = {
    "bad-date.csv": GOOD_CLUSTER_CSV.replace(b"2010-01-01", b"2010-02-30"),
    "one-record.csv": GOOD_CLUSTER_CSV,
    "int-dob.parquet": _parquet(
        pd.DataFrame(
            {c: [1] for c in ("record_id", "first_name", "surname", "dob", "sex", "postcode")}
        )  # fmt: skip
    ),
    "no-sex-no-postcode.csv": b"record_id,first_name,surname,dob\nr1,Ann,Lee,2010-01-01\n"
    b"r2,Ann,Lee,2010-01-01\nr3,Bob,Hart,1999-12-31\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CLUSTER_INPUTS))
def test_identity_cluster_refuses_a_damaged_input(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(BAD_CLUSTER_INPUTS[name])
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["identity", "cluster", "--input", str(source), "--output", str(out)]
    )
    assert_one_sentence(result)
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(MESSY_CLUSTER_INPUTS))
def test_identity_cluster_takes_messy_records_and_says_what_it_could_not_use(
    tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(MESSY_CLUSTER_INPUTS[name])
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["identity", "cluster", "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    refs = pd.read_csv(out, dtype=str)
    assert refs["child_ref"].notna().all() and len(refs) >= 1
    if name == "bad-date.csv":
        assert "1 dates of birth could not be read as dates; compared as text" in result.output


def test_ingest_of_fuzzed_files_is_whole_or_one_sentence(tmp_path: Path) -> None:
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(any_feed)
    def check(feed: Feed) -> None:
        path = tmp_path / feed.filename
        path.write_bytes(feed.content)
        args = ["ingest", str(path), "--agency", feed.agency, "--kind", feed.kind]
        result = runner.invoke(app, args)
        if result.exit_code != 0:
            assert_one_sentence(result)
            assert "nothing" in result.output

    check()


LICENSING_IMPORTS = {
    "not-utf8.csv": b"surname,first_name\n\xff\xfe,Ann\n",
    "ragged.csv": b"surname,first_name,dob\nLee,Ann,2010-01-01,extra,more\n",
    "empty.csv": b"",
    "garbage.csv": b'\x00\x01\x02,\n"',
}


@pytest.mark.parametrize("name", sorted(LICENSING_IMPORTS))
def test_licensing_register_import_refuses_a_damaged_file(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    source.write_bytes(LICENSING_IMPORTS[name])
    result = runner.invoke(
        app, ["licensing", "register", "import", str(source), "--authority", "LIC-E08000018"]
    )
    assert_one_sentence(result)


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00garbage", b"\x89PNG\r\n"])
def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "backup.db"
    source.write_bytes(content)
    assert_one_sentence(runner.invoke(app, ["restore", str(source)]))


def test_every_command_that_reads_a_file_says_when_it_is_missing(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.csv")
    for args in (
        ["ingest", missing, "--agency", "CSC-E08000018"],
        ["identity", "cluster", "--input", missing, "--output", str(tmp_path / "o.csv")],
        ["licensing", "register", "import", missing, "--authority", "LIC-E08000018"],
        ["restore", missing],
    ):
        assert_one_sentence(runner.invoke(app, args))
