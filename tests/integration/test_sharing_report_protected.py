"""The sharing report outside the hubs: small numbers withheld, and not recoverable from totals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from safeguard.api import create_app
from safeguard.sharing.compliance import ComplianceRow
from safeguard.sharing.compliance_protect import OUTCOMES, protect_compliance
from tests.api_world import World, seeded_world
from tests.signin import sign_in


@pytest.fixture
def world(store_url: str) -> Iterator[World]:
    with seeded_world(store_url) as seeded:
        yield seeded


def test_statisticians_get_small_numbers_withheld_hubs_and_auditors_in_full(world: World) -> None:
    client = TestClient(create_app(world.platform))

    def report(role: str) -> list[dict[str, object]]:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"}
        response = client.get("/api/v1/sharing/report", headers=headers)
        assert response.status_code == 200, response.text
        rows: list[dict[str, object]] = response.json()
        return rows

    full, audit, published = report("mash"), report("auditor"), report("statistician")
    assert full and full == audit
    assert all(isinstance(r["due"], int) for r in full)
    assert all(r["due"] is None for r in published)  # the seeded world's counts are all small
    headers = {"Authorization": f"Bearer {world.tokens['statistician']}"}
    csv = client.get("/api/v1/sharing/report.csv", headers=headers).text
    assert "[c]" in csv.splitlines()[1]
    sign_in(client, world.tokens["statistician"])
    page = client.get("/sharing/report")
    assert page.status_code == 200 and "[c]" in page.text and "<title>on time:" not in page.text


def _row(duty: str, *counts: int) -> ComplianceRow:
    on_time, late, not_shared, unknown, never = counts
    return ComplianceRow("POLICE-E23000011", duty, sum(counts), on_time, late, never, 5.0,
                         not_shared, unknown)  # fmt: skip


def test_no_withheld_count_can_be_worked_out_from_its_row(world: World) -> None:
    rows = [_row("a", 40, 12, 3, 0, 25), _row("b", 30, 30, 30, 30, 30), _row("c", 9, 0, 0, 0, 0)]
    shown = protect_compliance(rows, world.platform.codes, 10)
    for original, row in zip(rows, shown, strict=True):
        hidden = [o for o in (*OUTCOMES, "due") if o in row.withheld]
        # one withheld cell beside a published total would be the total minus the rest
        assert len(hidden) != 1, (original, hidden)
        assert all(
            getattr(original, o) >= 10 or o in row.withheld
            for o in OUTCOMES
            if getattr(original, o)
        )
    # nothing small, nothing to protect: published whole
    alone = protect_compliance([rows[1]], world.platform.codes, 10)
    assert alone[0].withheld == frozenset()
    assert {"on_time", "due"} <= shown[2].withheld
