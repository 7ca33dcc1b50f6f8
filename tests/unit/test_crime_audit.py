"""The attacker who reads every published number: returns of several sizes and seeds pass;
the attacks of issue 21 on yesterday's publication are caught."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from safeguard.crime.audit import MANIFEST, audit_return
from safeguard.crime.cube import Layout, key
from safeguard.crime.national_return import DisclosureRisk, write_audited
from safeguard.crime.report import NationalReturn, write_report
from tests.crime_returns import build


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> NationalReturn:
    """25 crimes: nearly every cell 1-9."""
    return build(tmp_path_factory.mktemp("tiny"), 25, 4)


@pytest.fixture(scope="module")
def mid(tmp_path_factory: pytest.TempPathFactory) -> NationalReturn:
    """2,000 crimes: some LAs' cells small, most not."""
    return build(tmp_path_factory.mktemp("mid"), 2000, 5)


@pytest.mark.parametrize("size", ["tiny", "300", "mid"])
def test_returns_of_several_sizes_pass_the_audit(
    tmp_path: Path, size: str, request: pytest.FixtureRequest
) -> None:
    ret = build(tmp_path / "data", 300, 2) if size == "300" else request.getfixturevalue(size)
    assert ret.cube is not None
    small = [k for k, v in ret.cube.values.items() if 0 < v < ret.threshold]
    assert small and all(k in ret.cube.withheld for k in small)  # the test can fail
    write_report(ret, tmp_path / "out")
    result = audit_return(tmp_path / "out")
    assert result.checked >= len(small)
    assert result.ok, [f.sentence(result.threshold) for f in result.findings]


def test_audit_catches_the_rate_if_all_not_stated_inversion(
    tmp_path: Path, tiny: NationalReturn
) -> None:
    """Issue 21: a zero row's 'rate if all not stated' gave the withheld not-stated count."""
    ret = tiny
    assert ret.cube is not None
    out = tmp_path / "out"
    write_report(ret, out)
    path = out / "victims_rates_by_ethnicity.csv"
    rows = _rows(path)
    ns_key = key("persons", {"year": "2024", "role": "victim", "ethnicity": "NS"})
    ns = ret.cube.values[ns_key]
    assert 0 < ns < 10 and ns_key in ret.cube.withheld
    zero = next(r for r in rows if r["People"] == "0" and float(r["Population (Census 2021)"]))
    pop = float(zero["Population (Census 2021)"])
    assert zero["Rate if all not stated were this group"] == "[c]"  # today: withheld
    zero["Rate if all not stated were this group"] = str(round(ns / pop * 100_000, 1))
    _write(path, rows)  # what the return published before
    findings = audit_return(out).findings
    assert any("ethnicity=NS" in f.cell and "role=victim" in f.cell for f in findings)


def test_audit_catches_the_gap_between_the_rates_and_ethnic_group_tables(
    tmp_path: Path,
) -> None:
    """Issue 21: the rates table published suspects not stated (11) while the ethnic-group
    table withheld it with a total of 15: the other withheld groups sum to 4."""
    groups = ["Asian", "White", "Not stated"]
    by_group = Layout("ethnic_group", "persons", "ethnic_group", groups, "role", ["suspect"])
    rates = Layout("rates", "persons", "ethnic_group", groups, None, [], {"role": "suspect"})
    (tmp_path / "ethnic_group.csv").write_text(
        ",Suspects\nAsian,[c]\nWhite,[c]\nNot stated,[c]\nTotal,15\n", encoding="utf-8"
    )
    (tmp_path / "rates.csv").write_text(
        ",People\nAsian,[c]\nWhite,[c]\nNot stated,11\nTotal,15\n", encoding="utf-8"
    )
    manifest = {
        "threshold": 10,
        "marker": "[c]",
        "rate_decimals": 1,
        "percent_decimals": 0,
        "per": 100_000,
        "ethnic_children": {},
        "tables": [
            {"name": "ethnic_group", "file": "ethnic_group.csv", "kind": "counts",
             "layout": by_group.to_json(), "count_columns": ["Suspects"]},
            {"name": "rates", "file": "rates.csv", "kind": "counts",
             "layout": rates.to_json(), "count_columns": ["People"]},
        ],
    }  # fmt: skip
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    cells = {re.sub(r",? ?year=\d+", "", f.cell) for f in audit_return(tmp_path).findings}
    assert "persons (ethnic_group=Asian, role=suspect)" in cells
    (tmp_path / "rates.csv").write_text(
        ",People\nAsian,[c]\nWhite,[c]\nNot stated,[c]\nTotal,15\n", encoding="utf-8"
    )
    assert audit_return(tmp_path).ok  # withheld in both: [0, 15] for each


def test_charts_and_tooltips_hold_only_published_values(mid: NationalReturn) -> None:
    """Issue 20: the funnel's tooltips and 'This platform's data' showed withheld counts."""
    ret = mid
    table = next(t for t in ret.tables if t.name == "divergence").frame
    published = {
        str(label).rsplit(" ", 1)[0]: (row.iloc[0], row.iloc[1])
        for label, row in table.drop("Total").iterrows()
    }
    assert any("[c]" in map(str, v) for v in published.values())  # the test can fail
    tips = re.findall(r"<title>([^<]*): (\d+) crimes, (\d+) plans</title>", ret.charts["funnel"])
    assert tips
    for la, crimes, plans in tips:
        assert published[la] == (int(crimes), int(plans)), la
    # the region's yearly totals are drawn only where no LA cell of the year is withheld
    drawn = sum(
        all(str(v[i]) != "[c]" for v in published.values()) for i in (0, 1)
    )  # one year here: a series is one point, drawn only when its year has no [c]
    assert ret.charts["synthetic"].count("<circle") == drawn < 2
    for name in ("offence_groups", "forces", "synthetic", "funnel"):  # the count charts
        for value in re.findall(r">(\d[\d,]*)</text>", ret.charts[name]):
            assert not 0 < int(value.replace(",", "")) < ret.threshold, (name, value)


def test_a_return_that_fails_the_audit_is_not_written(tmp_path: Path, mid: NationalReturn) -> None:
    ret = mid
    assert ret.cube is not None
    cube = ret.cube
    table, i, j, layout_key = next(
        (t, i, j, k)
        for t in ret.tables
        if t.kind == "counts"
        for i, line in enumerate(ret.layouts[t.name].layout.grid())
        for j, k in enumerate(line)
        if 0 < cube.values[k] < 10 and t.frame.iat[i, j] == "[c]"
    )
    frame = table.frame
    frame.iat[i, j] = ret.cube.values[layout_key]  # a withheld count slips out
    with pytest.raises(DisclosureRisk, match="can be worked out"):
        write_audited(ret, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    frame.iat[i, j] = "[c]"
    assert (tmp_path / "out" / MANIFEST) in write_audited(ret, tmp_path / "out")
