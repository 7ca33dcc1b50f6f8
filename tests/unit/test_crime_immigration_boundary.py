"""Immigration status is read only by the referral rule (and by ingest, storage and the
generator that carry it). No risk, matching, ranking or statistics code may read it."""

from __future__ import annotations

import re
from pathlib import Path

from safeguard.crime.extract import CRIMES_SCHEMA, PEOPLE_SCHEMA, TYPOLOGY_SCHEMA

SRC = Path(__file__).resolve().parents[2] / "src" / "safeguard"
FIELD = re.compile(r"immigration_status")

#: Where the field may appear, and why.
ALLOWED_FOLDERS = ("domain/", "ingest/", "store/", "synth/", "data/")  # carry and validate it
ALLOWED_FILES = {
    "crime/referral.py": "the referral rule: the one individual-level use",
    "crime/rules.py": "loads the referral rule's configured statuses",
    "crime/validation.py": "ingest: a CSAE suspect must have it (or NS)",
    "api/routes/crime.py": "the referral officer's list (JSON)",
    "web/templates/referrals.html": "the referral officer's list (page)",
    "web/templates/referral.html": "one referral (page): the status only for the referral roles",
    "research/extract.py": "an approved research project's sensitive attribute (l-diversity), "
    "de-identified; never a quasi-identifier or an individual decision",
}


def test_only_the_referral_rule_reads_immigration_status() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".py", ".html", ".yaml", ".sql"} or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(ALLOWED_FOLDERS) or rel in ALLOWED_FILES:
            continue
        if FIELD.search(path.read_text(encoding="utf-8")):
            offenders.append(rel)
    assert offenders == [], f"immigration_status is read outside the referral rule: {offenders}"


def test_the_statistics_extract_has_no_immigration_status() -> None:
    for schema in (CRIMES_SCHEMA, TYPOLOGY_SCHEMA, PEOPLE_SCHEMA):
        assert not any("immigration" in name for name in schema.names)
