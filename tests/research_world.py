"""A small region and an approved research project, shared by the research tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from safeguard.bootstrap import Platform
from safeguard.domain.actors import User
from tests.regions import ingest_region

RITA = User("rita", "research", ("researcher",))
DORA = User("dora", "research", ("auditor",))
OSCAR = User("oscar", "research", ("output_checker",))


def project_fields(**over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = dict(
        title="Drivers of exploitation", purpose="Which circumstances precede exploitation",
        approving_body="University REC", approval_reference="REC-2026-17",
        lawful_basis="UK GDPR 6(1)(e); 9(2)(j) with DPA 2018 Sch.1 para 4",
        starts_on="2020-01-01", ends_on="2099-12-31", unit="child", variables="",
        researchers="rita",
    )  # fmt: skip
    fields.update(over)
    return fields


def approved(platform: Platform, **over: Any) -> int:
    pid = platform.research.request(project_fields(**over), RITA)
    platform.research.decide(pid, True, DORA, "REC approval seen")
    return pid


def load(platform: Platform, folder: Path, children: int = 500) -> Path:
    """Ingest a region (seed 11, two authorities); returns its folder (truth/ inside)."""
    ingest_region(platform, folder, children, seed=11, las=2)
    return folder
