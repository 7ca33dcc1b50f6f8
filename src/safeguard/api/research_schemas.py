"""Request and response bodies of the research routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class ProjectCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field(min_length=1, max_length=5000)
    approving_body: str = Field(min_length=1, max_length=200)
    approval_reference: str = Field(min_length=1, max_length=100)
    lawful_basis: str = Field(min_length=1, max_length=300)
    starts_on: date
    ends_on: date
    unit: str = Field("child", max_length=10)
    variables: list[str] = Field(default_factory=list, max_length=20)
    researchers: list[str] = Field(min_length=1, max_length=50)
    k: int = Field(10, ge=2, le=1000)
    l_diversity: int = Field(0, ge=0, le=100)


class ProjectPublic(BaseModel):
    id: int
    title: str
    purpose: str
    approving_body: str
    approval_reference: str
    lawful_basis: str
    starts_on: date
    ends_on: date
    unit: str
    variables: list[str]
    researchers: list[str]
    k: int
    l_diversity: int
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class Decision(BaseModel):
    approve: bool
    reason: str = Field("", max_length=2000)


class Manifest(BaseModel):
    """An extract's manifest (see docs/research.md); the files stay on the server."""

    model_config = {"extra": "allow"}
    project: int
    records_released: int
    records_suppressed: int
    share_suppressed: float
    k_achieved: int
    l_achieved: int | None
    generalisation: dict[str, str]
    files: dict[str, Any]


class OutputsCreate(BaseModel):
    #: file name → CSV text of the table
    tables: dict[str, str] = Field(min_length=1, max_length=20)


class OutputPublic(BaseModel):
    id: int
    project_id: int
    filename: str
    sha256: str
    status: str
    findings: list[dict[str, str]]
    submitted_by: str
    decided_by: str | None = None
    reason: str | None = None
