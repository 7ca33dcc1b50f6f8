"""Coverage-guided fuzzing (atheris, libFuzzer) of the agency-feed parser and validation.

Not part of the test suite (the hypothesis tests are); run it for as long as you like:

    .venv/bin/pip install -e '.[fuzz]'
    .venv/bin/python benchmarks/fuzz_feeds.py --seconds 60

A finding is any input that makes parsing or validation raise instead of returning row errors;
libFuzzer writes it to ``crash-*`` in the current folder and the script stops there. The seed
corpus is a valid persons and events file of every agency kind, in CSV and JSON Lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["safeguard"]):
    from safeguard.domain.codes import load_code_lists
    from safeguard.ingest.errors import RowError
    from safeguard.ingest.feeds import parse_feed
    from safeguard.ingest.validation import check_columns, validate_event, validate_person

CODES = load_code_lists()
AGENCIES = ["POLICE-E23000011", "CSC-E08000018", "HEALTH-E08000018", "EDU-E08000018",
            "LIC-E08000018"]  # fmt: skip
NOW = datetime(2026, 1, 1, tzinfo=UTC)
STATS = {"runs": 0, "accepted_rows": 0, "row_errors": 0}
CLOCK = {"started": 0.0, "seconds": 60.0}


def _report_and_stop() -> None:
    """libFuzzer leaves without running Python's exit handlers, so report from here."""
    seconds = time.perf_counter() - CLOCK["started"]
    print(f"fuzz_feeds: {STATS['runs']:,} executions in {seconds:.0f} s "
          f"({STATS['runs'] / max(seconds, 1e-9):,.0f}/s); {STATS['accepted_rows']:,} rows "
          f"accepted, {STATS['row_errors']:,} row errors; findings: 0 (a finding stops the "
          "run and leaves crash-* in the current folder)", flush=True)  # fmt: skip
    os._exit(0)


def one_input(data: bytes) -> None:
    """Parse and validate one fuzzed file; anything but records or row errors is a finding."""
    STATS["runs"] += 1
    if time.perf_counter() - CLOCK["started"] > CLOCK["seconds"]:
        _report_and_stop()
    fdp = atheris.FuzzedDataProvider(data)
    agency = CODES.agencies[AGENCIES[fdp.ConsumeIntInRange(0, len(AGENCIES) - 1)]]
    fmt = "jsonl" if fdp.ConsumeBool() else "csv"
    kind = "events" if fdp.ConsumeBool() else "persons"
    feed = parse_feed(fdp.ConsumeBytes(fdp.remaining_bytes()), fmt)
    errors: list[RowError] = list(feed.errors)
    if feed.columns:
        errors += check_columns(feed.columns, kind)
    for number, raw in feed.rows:
        if kind == "persons":
            rec = validate_person(number, raw, agency.code, CODES, date(2026, 1, 1), errors)
        else:
            rec = validate_event(number, raw, agency.code, agency.kind, CODES, NOW, errors)
        STATS["accepted_rows"] += rec is not None
    for error in errors:
        if error.row < 0 or not error.field.strip() or not error.message:
            raise AssertionError(f"an error that names no place: {error}")
    STATS["row_errors"] += len(errors)


def _seed_corpus(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.feed_fuzz import AGENCY_OF_KIND, EVENT_COLUMNS, event_rows, person_rows, render

    kinds = sorted(AGENCY_OF_KIND)
    for kind in kinds:
        for f, fmt in enumerate(("csv", "jsonl")):
            for e, rows, columns in ((0, person_rows(), list(person_rows()[0])),
                                     (1, event_rows(kind), list(EVENT_COLUMNS))):  # fmt: skip
                header = bytes([AGENCIES.index(AGENCY_OF_KIND[kind]), f, e])
                (folder / f"{kind}-{fmt}-{e}").write_bytes(header + render(rows, columns, fmt))
    assert len(list(folder.iterdir())) == 4 * len(kinds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    args, rest = parser.parse_known_args()
    corpus = Path(tempfile.mkdtemp(prefix="sg-fuzz-corpus-"))
    _seed_corpus(corpus)
    CLOCK.update(started=time.perf_counter(), seconds=float(args.seconds))
    atheris.Setup([sys.argv[0], *rest, str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
