"""Background signs: every sign type a risk indicator reads is written for children who are
not exploited too, at the rates in data/background_signs.yaml."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from safeguard.synth import SynthParams, generate_region
from safeguard.synth.background import load_background, parse

SIGNS = ("missing_episode", "behaviour_change", "found_in_vehicle", "online_report", "pregnancy")


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bg")
    generate_region(out, 6000, seed=7)
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_sign_type_appears_for_children_never_exploited(region: Path) -> None:
    exploited = {r["person_id"] for r in _rows(region / "truth" / "exploited_children.csv")}
    person = {(r["agency"], r["local_id"]): r["person_id"]
              for r in _rows(region / "truth" / "record_person.csv")}  # fmt: skip
    seen: dict[str, set[str]] = defaultdict(set)
    for feed in region.glob("*/events.csv"):
        for r in _rows(feed):
            if r["event_type"] in SIGNS:
                for part in filter(None, r["participants"].split(";")):
                    pid = person[(feed.parent.name, part.split(":", 1)[1])]
                    if pid not in exploited:
                        seen[r["event_type"]].add(pid)
    assert set(seen) == set(SIGNS)


def test_missing_rate_is_the_published_one(region: Path) -> None:
    """Children aged 10-17 missing at least once: about 1.1% a year over the 3-year window
    (3.3%; the binomial spread at this size is well inside the bounds)."""
    as_of = SynthParams().as_of
    dob = {r["person_id"]: date.fromisoformat(r["dob"])
           for r in _rows(region / "truth" / "persons.csv") if r["kind"] == "child"}  # fmt: skip
    person = {(r["agency"], r["local_id"]): r["person_id"]
              for r in _rows(region / "truth" / "record_person.csv")}  # fmt: skip
    exploited = {r["person_id"] for r in _rows(region / "truth" / "exploited_children.csv")}
    missing: Counter[str] = Counter()
    for feed in region.glob("POLICE-*/events.csv"):
        for r in _rows(feed):
            if r["event_type"] == "missing_episode":
                for part in filter(None, r["participants"].split(";")):
                    missing[person[(feed.parent.name, part.split(":", 1)[1])]] += 1
    older = [
        p for p, d in dob.items() if 12 <= (as_of - d).days // 365 <= 17 and p not in exploited
    ]
    share = sum(1 for p in older if missing[p]) / len(older)
    assert 0.015 < share < 0.06
    episodes = [missing[p] for p in older if missing[p]]
    assert 1.8 < sum(episodes) / len(episodes) < 3.6  # 2.6 on average: repeats cluster


def test_the_rates_file_names_a_source_for_each_sign() -> None:
    signs = load_background()
    assert {s.event_type for s in signs} == set(SIGNS)
    assert all(s.source for s in signs)
    with pytest.raises(ValueError, match="rate in"):
        parse({"signs": [{"event_type": "x", "agency": "police", "min_age": 1, "max_age": 2,
                          "children_per_year": 2, "source": "s"}]})  # fmt: skip
    with pytest.raises(ValueError, match="missing"):
        parse({"signs": [{"event_type": "x"}]})
