"""Schemathesis over the app's own OpenAPI schema, in-process: every operation, as one role at a
time with that role's bearer token. Shared by the bounded test and `benchmarks/api_fuzz.py`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api_world import World

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@dataclass
class OperationRun:
    """One operation fuzzed as one role: how many examples, which failures, how long."""

    label: str
    role: str
    examples: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def load_schema(app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def fuzz_operation(
    operation: Any,
    role: str,
    token: str,
    max_examples: int,
    seed: int = 10,
    path_parameters: dict[str, Any] | None = None,
    mode: GenerationMode = GenerationMode.POSITIVE,
) -> OperationRun:
    """Run up to ``max_examples`` generated requests; collect failures instead of stopping."""
    run = OperationRun(operation.label, role)
    headers = {"Authorization": f"Bearer {token}"}
    failures: set[str] = set()

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )
    @hypothesis.seed(seed)
    @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
    def test(case: Any) -> None:
        run.examples += 1
        response = case.call(headers=headers)
        run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as exc:  # keep one line per failure
            failures.add(_summary(exc, case, response.status_code))

    started = time.perf_counter()
    test()
    run.seconds = time.perf_counter() - started
    run.failures = sorted(failures)
    return run


def _summary(exc: BaseException, case: Any, status: int) -> str:
    inner = getattr(exc, "exceptions", [exc])
    titles = sorted({getattr(e, "title", type(e).__name__) for e in inner})
    return f"{case.method} {case.formatted_path} -> {status}: {'; '.join(titles)}"


def real_ids(world: World) -> dict[str, Any]:
    """Path parameters naming the seeded world's child, alert and share."""
    return {
        "person_id": world.child,
        "ref": world.child_ref or world.child,
        "alert_id": world.alert_id,
        "share_id": world.share_id,
        "offer_id": world.offer_id,
        "check_id": 1,
        "group_id": "G1",
        "project_id": 1,
        "output_id": 1,
        "notification_id": 1,
        "referral_id": 1,
    }
