"""Properties of a generated region: determinism, valid feeds, truth that covers everything."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from safeguard.domain.nhs import is_valid_nhs_number
from safeguard.synth import SynthParams, generate_region
from tests.unit.synth_feed_check import check_region

CHILDREN = 3000


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.csv"))
    }


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("region")
    generate_region(out, CHILDREN, seed=11)
    return out


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    generate_region(tmp_path / "a", 400, seed=5, las=4)
    generate_region(tmp_path / "b", 400, seed=5, las=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate_region(tmp_path / "a", 400, seed=5, las=4)
    generate_region(tmp_path / "b", 400, seed=6, las=4)
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a.keys() == b.keys()
    assert sum(a[k] != b[k] for k in a) > len(a) * 0.8


def test_every_feed_passes_the_feed_contract(region: Path) -> None:
    assert check_region(region) == []


def test_the_checker_catches_an_invalid_nhs_number(region: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(region, copy)
    health = next(p for p in sorted(copy.iterdir()) if p.name.startswith("HEALTH-"))
    text = (health / "persons.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[8] = "9434765918"
    text[1] = ",".join(cells)
    (health / "persons.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    assert any("modulus 11" in p for p in check_region(copy))


def test_every_record_has_a_true_person(region: Path) -> None:
    truth = {
        (r["agency"], r["local_id"]): r["person_id"]
        for r in _read(region / "truth/record_person.csv")
    }
    people = {r["person_id"] for r in _read(region / "truth/persons.csv")}
    n = 0
    for folder in sorted(p for p in region.iterdir() if p.name != "truth"):
        for r in _read(folder / "persons.csv"):
            assert truth[(folder.name, r["local_id"])] in people
            n += 1
    assert n == len(truth)


def test_nhs_numbers_are_true_or_deliberately_mistyped(region: Path) -> None:
    true_nhs = {r["person_id"]: r["nhs_number"] for r in _read(region / "truth/persons.csv")}
    truth = {
        (r["agency"], r["local_id"]): r["person_id"]
        for r in _read(region / "truth/record_person.csv")
    }
    mistyped = {
        (r["agency"], r["local_id"]): r["recorded_value"]
        for r in _read(region / "truth/noise.csv")
        if r["noise"] == "nhs_mistyped"
    }
    assert all(is_valid_nhs_number(v) for v in true_nhs.values())
    assert len(set(true_nhs.values())) == len(true_nhs)
    for folder in sorted(p for p in region.iterdir() if p.name != "truth"):
        for r in _read(folder / "persons.csv"):
            key = (folder.name, r["local_id"])
            if r["nhs_number"]:
                assert is_valid_nhs_number(r["nhs_number"])
                assert r["nhs_number"] == true_nhs[truth[key]] or mistyped[key] == r["nhs_number"]
    assert mistyped, "some NHS numbers should be mistyped"


@pytest.mark.parametrize("kind", ["health", "education", "csc"])
def test_noise_rates_are_within_tolerance_of_their_settings(region: Path, kind: str) -> None:
    rates = SynthParams().noise[kind]
    prefix = {"health": "HEALTH-", "education": "EDU-", "csc": "CSC-"}[kind]
    records = sum(
        1 for r in _read(region / "truth/record_person.csv") if r["agency"].startswith(prefix)
    )
    hits: Counter[str] = Counter(
        r["noise"] for r in _read(region / "truth/noise.csv") if r["agency"].startswith(prefix)
    )
    for noise in ("typo_first", "typo_surname", "moved_address", "nhs_missing",
                  "nationality_not_stated", "ethnicity_not_stated"):  # fmt: skip
        expected = rates.rate(noise)
        observed = hits[noise] / records
        tolerance = 4 * (expected * (1 - expected) / records) ** 0.5 + 0.005
        assert abs(observed - expected) <= tolerance, (kind, noise, observed, expected)


def test_twins_and_same_name_same_dob_children_are_present(region: Path) -> None:
    people = {r["person_id"]: r for r in _read(region / "truth/persons.csv")}
    twins = [r for r in people.values() if r["twin_of"]]
    assert len(twins) >= 4
    for t in twins:
        other = people[t["twin_of"]]
        assert other["twin_of"] == t["person_id"]
        assert (other["surname"], other["dob"], other["household_id"], other["postcode"]) == (
            t["surname"], t["dob"], t["household_id"], t["postcode"],
        )  # fmt: skip
        assert other["first_name"] != t["first_name"]
    namesakes = [r for r in people.values() if r["namesake_of"]]
    assert namesakes
    for n in namesakes:
        other = people[n["namesake_of"]]
        assert (other["first_name"], other["surname"], other["dob"]) == (
            n["first_name"], n["surname"], n["dob"],
        )  # fmt: skip
        assert other["household_id"] != n["household_id"]


def test_every_scenario_type_is_present_with_truth(region: Path) -> None:
    scenarios = _read(region / "truth/scenarios.csv")
    assert {s["scenario_type"] for s in scenarios} == {
        "group_based_cse", "online_grooming", "familial", "county_lines",
    }  # fmt: skip
    exploited = _read(region / "truth/exploited_children.csv")
    assert {e["scenario_type"] for e in exploited} == {s["scenario_type"] for s in scenarios}
    for e in exploited:
        assert e["exploitation_start"] <= e["first_sign_date"]
    groups = defaultdict(list)
    for g in _read(region / "truth/groups.csv"):
        groups[g["scenario_id"]].append(g)
    for s in scenarios:
        if s["scenario_type"] in ("group_based_cse", "county_lines"):
            assert len(groups[s["scenario_id"]]) >= 2 and s["group_id"]
            assert len(s["la_codes"].split(";")) >= 2
    licences = _read(region / "truth/licences.csv")
    ring_drivers = [lic for lic in licences if lic["scenario_id"]]
    assert ring_drivers and any(lic["out_of_area"] == "1" for lic in ring_drivers)
    signed = {r["person_id"] for r in _read(region / "truth/event_scenario.csv")}
    assert {e["person_id"] for e in exploited} <= signed


def test_group_based_crimes_name_two_or_more_suspects(region: Path) -> None:
    crimes = [
        r
        for folder in sorted(region.glob("POLICE-*"))
        for r in _read(folder / "events.csv")
        if r["event_type"] == "crime"
    ]
    assert crimes
    for c in crimes:
        details = json.loads(c["details"])
        suspects = c["participants"].count("suspect:")
        assert details["group_based"] == (suspects >= 2)


def test_events_fall_in_the_window_and_signs_follow_the_start(region: Path) -> None:
    params = SynthParams()
    as_of = params.as_of.isoformat()
    start = {
        r["person_id"]: r["exploitation_start"]
        for r in _read(region / "truth/exploited_children.csv")
    }
    signs = {
        (r["agency"], r["local_id"]): r["person_id"]
        for r in _read(region / "truth/event_scenario.csv")
    }
    for folder in sorted(p for p in region.iterdir() if p.name != "truth"):
        for r in _read(folder / "events.csv"):
            assert r["occurred_at"] <= as_of
            person = signs.get((folder.name, r["local_id"]))
            if person in start and r["event_type"] != "licensing_decision":
                assert r["occurred_at"] >= start[person], (folder.name, r)


def test_children_are_aged_0_to_17_and_victims_fit_their_scenario(region: Path) -> None:
    as_of = SynthParams().as_of
    people = {r["person_id"]: r for r in _read(region / "truth/persons.csv")}
    for r in people.values():
        if r["kind"] == "child":
            born = date.fromisoformat(r["dob"])
            age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
            assert 0 <= age <= 17
    for e in _read(region / "truth/exploited_children.csv"):
        assert people[e["person_id"]]["kind"] == "child"


def test_police_record_suspect_ethnicity_less_completely(region: Path) -> None:
    truth = {
        (r["agency"], r["local_id"]): r["person_id"]
        for r in _read(region / "truth/record_person.csv")
    }
    offenders = {g["person_id"] for g in _read(region / "truth/groups.csv")}
    suspects, others = [], []
    for folder in sorted(region.glob("POLICE-*")):
        for r in _read(folder / "persons.csv"):
            is_suspect = truth[(folder.name, r["local_id"])] in offenders
            (suspects if is_suspect else others).append(r["ethnicity"] == "NS")
    assert suspects and others
    assert sum(suspects) / len(suspects) > sum(others) / len(others)


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    for hash_seed in ("1", "2"):
        out = str(tmp_path / hash_seed)
        code = f"from safeguard.synth import generate_region as g; g({out!r}, 300, 3, 3)"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert _digest(tmp_path / "1") == _digest(tmp_path / "2")


def test_noise_scale_multiplies_recording_errors_but_not_coverage(tmp_path: Path) -> None:
    base, harder = SynthParams(), SynthParams().with_noise_scale(3)
    for kind, rates in base.noise.items():
        scaled = harder.noise[kind]
        assert scaled.typo_first == pytest.approx(min(1.0, 3 * rates.typo_first))
        assert scaled.transliteration == min(1.0, 3 * rates.transliteration)
        assert scaled.nhs_missing == rates.nhs_missing, kind
        assert scaled.ethnicity_not_stated == rates.ethnicity_not_stated, kind
    # 600 children: at 300 a handful of typos decide the ratio by chance (5 against 10 once
    # background signs changed the draws), which tests the dice rather than the scale
    generate_region(tmp_path / "x1", 600, seed=5)
    generate_region(tmp_path / "x3", 600, seed=5, params=harder)
    typos = [
        sum(1 for r in _read(tmp_path / name / "truth/noise.csv") if r["noise"] == "typo_surname")
        for name in ("x1", "x3")
    ]
    assert typos[1] > 2 * typos[0] > 0, typos
    with pytest.raises(ValueError, match="noise scale"):
        SynthParams().with_noise_scale(-1)
