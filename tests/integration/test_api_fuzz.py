"""Schemathesis over the app's own OpenAPI schema, in-process on SQLite: every operation, as
every role with that role's bearer token, a few seeded examples each (valid and invalid input),
plus examples whose path parameters name the seeded child, alert and share. No response may be
a server error or break its documented status code, content type or schema. The longer run is
`python -m benchmarks.api_fuzz`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from schemathesis import GenerationMode

from safeguard.accounts.roles import ROLES
from safeguard.api import create_app
from tests.api_fuzz import OperationRun, fuzz_operation, load_schema, operations, real_ids
from tests.api_world import World, seeded_world

EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}
REAL_EXAMPLES = 1


@dataclass
class Fuzz:
    world: World
    schema: Any


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with seeded_world(f"sqlite:///{folder}/s.db") as world:
        yield Fuzz(world, load_schema(create_app(world.platform)))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_server_error_and_every_response_as_documented(fuzz: Fuzz, role: str) -> None:
    token = fuzz.world.tokens[role]
    ids = real_ids(fuzz.world)
    runs: list[OperationRun] = []
    for operation in operations(fuzz.schema):
        for mode, examples in EXAMPLES.items():
            runs.append(fuzz_operation(operation, role, token, examples, mode=mode))
        names = {p.name for p in operation.path_parameters}
        if names:
            known = {n: ids[n] for n in names}
            runs.append(
                fuzz_operation(operation, role, token, REAL_EXAMPLES, path_parameters=known)
            )
    failures = [f for run in runs for f in run.failures]
    assert failures == [], "\n".join(failures)
    assert len({r.label for r in runs}) >= 30 and sum(r.examples for r in runs) >= 90
    # the seeded ids reach real data: some answer 200 for somebody
    assert any(200 in r.statuses for r in runs if "{" in r.label) or role not in ("mash",)


# Regression tests for what the fuzz found.


def test_a_huge_id_is_a_422_not_a_server_error(fuzz: Fuzz) -> None:
    world = fuzz.world
    huge = 2**63
    headers = {"Authorization": f"Bearer {world.tokens['mash']}"}
    with TestClient(create_app(world.platform), raise_server_exceptions=False) as client:
        for url in (f"/api/v1/risk/alerts/{huge}", f"/api/v1/sharing/shares/{huge}/acknowledge"):
            method = "GET" if "alerts" in url else "POST"
            assert client.request(method, url, headers=headers).status_code == 422, url


def test_times_carry_their_offset_and_csv_is_csv(fuzz: Fuzz) -> None:
    world = fuzz.world
    headers = {"Authorization": f"Bearer {world.tokens['mash']}"}
    with TestClient(create_app(world.platform), raise_server_exceptions=False) as client:
        alert = client.get(f"/api/v1/risk/alerts/{world.alert_id}", headers=headers).json()
        times = [alert["alert"]["raised_at"], *(h["at"] for h in alert["history"])]
        assert times and all(t.endswith(("Z", "+00:00")) for t in times), times
        csv = client.get("/api/v1/sharing/report.csv", headers=headers)
        assert csv.headers["content-type"].startswith("text/csv")
