"""Research on both stores: project governance, extracts, attacks on them, output checking."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from safeguard.bootstrap import Platform
from safeguard.research.hierarchy import load_hierarchy
from safeguard.research.service import ResearchDenied, ResearchError
from tests.research_world import DORA, OSCAR, RITA, approved, load, project_fields


def _rows(out: Path) -> pd.DataFrame:
    manifest = json.loads((out / "manifest.json").read_text())
    (name,) = manifest["files"]
    return pd.read_csv(out / name, dtype=str, keep_default_na=False)


def _denials(platform: Platform, action: str) -> int:
    with platform.uow() as uow:
        return sum(e.action == action and e.outcome == "denied" for e in uow.audit.entries())


def test_unapproved_expired_or_unnamed_projects_yield_nothing(
    platform: Platform, tmp_path: Path
) -> None:
    load(platform, tmp_path / "region", children=120)
    pid = platform.research.request(project_fields(), RITA)
    with pytest.raises(ResearchDenied, match="requested"):
        platform.research.extract(pid, RITA, tmp_path / "a")
    with pytest.raises(ResearchDenied, match="data-protection officer"):
        platform.research.decide(pid, True, RITA)
    old = approved(platform, starts_on="2020-01-01", ends_on="2021-01-01")
    with pytest.raises(ResearchDenied, match="approved and in date"):
        platform.research.extract(old, RITA, tmp_path / "b")
    live = approved(platform)
    other = RITA.__class__("otto", "research", ("researcher",))
    with pytest.raises(ResearchDenied, match="not a named researcher"):
        platform.research.extract(live, other, tmp_path / "c")
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()
    assert _denials(platform, "research.extract") == 3
    with pytest.raises(ResearchError, match="ends_on"):
        platform.research.request(project_fields(ends_on="2019-01-01"), RITA)


def test_extract_is_k_anonymous_with_manifest_and_audit(platform: Platform, tmp_path: Path) -> None:
    load(platform, tmp_path / "region")
    pid = approved(platform)
    manifest = platform.research.extract(pid, RITA, tmp_path / "out")
    rows = _rows(tmp_path / "out")
    assert list(rows.columns) == ["pseudonym", "age_band", "sex", "local_authority", "events",
                                  "crimes"]  # fmt: skip
    assert not {"dob", "postcode", "ethnicity", "nationality"} & set(rows.columns)
    assert rows.groupby(["age_band", "sex", "local_authority"]).size().min() >= 10
    assert manifest["records_released"] == len(rows) > 0
    assert manifest["records_suppressed"] + len(rows) == manifest["records_before"]
    (name,) = manifest["files"]
    digest = hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest()
    assert manifest["files"][name]["sha256"] == digest
    with platform.uow() as uow:
        entry = uow.audit.for_subject(f"research-project:{pid}")[-1]
    assert entry.action == "research.extract" and entry.outcome == "allowed"
    assert json.loads(entry.detail)["files"][name]["sha256"] == digest


def test_attack_join_with_truth_finds_no_unique_record(platform: Platform, tmp_path: Path) -> None:
    region = load(platform, tmp_path / "region")
    pid = approved(platform)
    manifest = platform.research.extract(pid, RITA, tmp_path / "out")
    rows = _rows(tmp_path / "out")
    truth = pd.read_csv(region / "truth" / "persons.csv", dtype=str, keep_default_na=False)
    today = date.today()
    born = [date.fromisoformat(d) for d in truth["dob"]]
    age = pd.Series(
        [today.year - b.year - ((today.month, today.day) < (b.month, b.day)) for b in born],
        index=truth.index,
    )
    truth = truth.assign(age=age)[(age >= 0) & (age < 18)]
    h = load_hierarchy(platform.codes)
    levels = {q: h.levels[q].index(n) for q, n in manifest["generalisation"].items()}
    truth = truth.reset_index(drop=True)
    known = pd.DataFrame(
        {
            q: h.generalise(q, truth[col], levels[q])
            for q, col in (("age_band", "age"), ("sex", "sex"), ("local_authority", "la_code"))
        }
    )
    sizes = rows.groupby(["age_band", "sex", "local_authority"]).size().rename("n").reset_index()
    joined = known.astype(str).merge(sizes, how="left").fillna({"n": 0})
    assert len(joined) == len(known) > 100
    assert (joined["n"] == 0).sum() < len(known)  # the attacker does find classes …
    assert not ((joined["n"] > 0) & (joined["n"] < 10)).any()  # … never one under k


def test_pseudonyms_stable_in_a_project_and_unlinkable_across(
    platform: Platform, tmp_path: Path
) -> None:
    load(platform, tmp_path / "region", children=200)
    one, two = approved(platform, k=2), approved(platform, k=2)
    first = set(_rows_of(platform, one, tmp_path / "1a"))
    again = set(_rows_of(platform, one, tmp_path / "1b"))
    other = set(_rows_of(platform, two, tmp_path / "2"))
    assert first == again and len(first) > 50
    assert not first & other


def _rows_of(platform: Platform, pid: int, out: Path) -> list[str]:
    platform.research.extract(pid, RITA, out)
    return list(_rows(out)["pseudonym"])


def test_sensitive_attributes_only_when_approved_and_l_diverse(
    platform: Platform, tmp_path: Path
) -> None:
    load(platform, tmp_path / "region")
    pid = approved(platform, variables="age_band,sex,local_authority,ethnicity", l_diversity=3)
    manifest = platform.research.extract(pid, RITA, tmp_path / "out")
    rows = _rows(tmp_path / "out")
    assert manifest["sensitive_attributes"] == ["ethnicity"]
    assert rows.groupby(["age_band", "sex", "local_authority"])["ethnicity"].nunique().min() >= 3
    assert manifest["l_achieved"] >= 3


def test_event_extract_generalises_dates_to_months(platform: Platform, tmp_path: Path) -> None:
    load(platform, tmp_path / "region")
    pid = approved(platform, unit="event")
    manifest = platform.research.extract(pid, RITA, tmp_path / "out")
    rows = _rows(tmp_path / "out")
    assert {"event_type", "month", "role"} <= set(rows.columns)
    assert rows["month"].str.fullmatch(r"\d{4}(-\d{2}|-Q\d)?").all()
    assert rows.groupby(manifest["quasi_identifiers"]).size().min() >= 10


def _table(path: Path, rows: list[tuple[str, int]]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["area", "count"])
        w.writerows(rows)
    return path


def test_outputs_refused_for_small_cells_and_differencing_then_checked(
    platform: Platform, tmp_path: Path
) -> None:
    pid = approved(platform)
    small = _table(tmp_path / "small.csv", [("A", 40), ("B", 3)])
    res = platform.research.submit_outputs(pid, {"small.csv": small.read_text()}, RITA)
    assert res[0]["status"] == "refused"
    assert res[0]["findings"][0]["rule"] == "threshold"
    good = _table(tmp_path / "all.csv", [("A", 40), ("B", 30)])
    (ok,) = platform.research.submit_outputs(pid, {"all.csv": good.read_text()}, RITA)
    assert ok["status"] == "pending"
    with pytest.raises(ResearchDenied, match="someone other"):
        platform.research.decide_output(ok["id"], True, "", RITA.__class__(
            "rita", "research", ("output_checker",)))  # fmt: skip
    platform.research.decide_output(ok["id"], True, "no disclosure risk", OSCAR)
    # a second table that differs from the released one by 4 people in B
    near = _table(tmp_path / "near.csv", [("A", 40), ("B", 26)])
    (diff,) = platform.research.submit_outputs(pid, {"near.csv": near.read_text()}, RITA)
    assert diff["status"] == "refused"
    assert [(f["rule"], f["where"]) for f in diff["findings"]] == [("differencing", "area=B")]
    with platform.uow() as uow:
        entry = uow.audit.for_subject(f"research-output:{ok['id']}")[-1]
    assert (entry.action, entry.user_name) == ("research.output.decide", "oscar")
    assert DORA.name not in {o["submitted_by"] for o in platform.research.outputs()}
