"""``ResearchService``: projects, extracts and output checks, each decision audited.

Who may do what: anyone with the ``researcher`` role requests a project; the data-protection
officer (``auditor``) approves or rejects it; only its named researchers extract from it or
submit outputs, and only while it is approved and in date; an ``output_checker`` who did not
submit an output approves or returns it. A refusal is audited as ``denied`` where it is decided.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from safeguard.domain.actors import User
from safeguard.domain.codes import CodeLists
from safeguard.research import extract as extracts
from safeguard.research.hierarchy import load_hierarchy
from safeguard.research.output_check import check_outputs, read_table
from safeguard.research.projects import is_active, parse_request, public
from safeguard.store.uow import UnitOfWork

DPO_ROLES = ("auditor",)


class ResearchError(ValueError):
    """A request the service refuses, with a sentence saying why (and the fields, if any)."""

    def __init__(self, message: str, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class ResearchDenied(ResearchError):
    """The actor's role or project does not allow it (audited as denied)."""


class ResearchMissing(ResearchError):
    """No such project or output."""


class ResearchService:
    def __init__(
        self, uow_factory: Callable[[], UnitOfWork], codes: CodeLists, clock: Callable[[], datetime]
    ) -> None:
        self.uow_factory = uow_factory
        self.codes = codes
        self.clock = clock
        self.hierarchy = load_hierarchy(codes)

    def _refuse(self, actor: User, action: str, subject: str, why: str) -> ResearchDenied:
        with self.uow_factory() as uow:
            uow.audit.record(
                actor,
                reason=why,
                action=action,
                subject=subject,
                outcome="denied",
                detail={"why": why},
            )
        return ResearchDenied(why)

    # -- projects ---------------------------------------------------------------------------

    def request(self, raw: dict[str, Any], actor: User) -> int:
        if not actor.has("researcher", *DPO_ROLES):
            raise self._refuse(
                actor,
                "research.project.request",
                "research",
                "only a researcher or the data-protection officer requests projects",
            )
        row, errors = parse_request(raw)
        if row is None:
            raise ResearchError("; ".join(m for _, m in errors), errors)
        with self.uow_factory() as uow:
            pid = uow.research.add_project(
                {**row, "requested_by": actor.name, "requested_at": self.clock()}
            )
            uow.audit.record(
                actor,
                reason=row["purpose"][:300],
                action="research.project.request",
                subject=f"research-project:{pid}",
                outcome="allowed",
                detail={"title": row["title"]},
            )
        return pid

    def decide(self, project_id: int, approve: bool, actor: User, reason: str = "") -> None:
        subject = f"research-project:{project_id}"
        project = self.project(project_id)
        if not actor.has(*DPO_ROLES):
            raise self._refuse(
                actor,
                "research.project.decide",
                subject,
                "only the data-protection officer approves research projects",
            )
        if actor.name in project["researchers"]:
            raise self._refuse(
                actor,
                "research.project.decide",
                subject,
                "a named researcher cannot approve their own project",
            )
        status = "approved" if approve else "rejected"
        with self.uow_factory() as uow:
            uow.research.decide_project(
                project_id, {"status": status, "decided_by": actor.name, "decided_at": self.clock()}
            )
            uow.audit.record(
                actor,
                reason=reason or status,
                action="research.project.decide",
                subject=subject,
                outcome="allowed",
                detail={"status": status},
            )

    def project(self, project_id: int) -> dict[str, Any]:
        with self.uow_factory() as uow:
            row = uow.research.project(project_id)
        if row is None:
            raise ResearchMissing(f"there is no research project {project_id}")
        return public(row)

    def projects(self, actor: User) -> list[dict[str, Any]]:
        """All projects for the DPO and output checkers; a researcher sees the ones naming them."""
        with self.uow_factory() as uow:
            shown = [public(p) for p in uow.research.projects()]
        if actor.has(*DPO_ROLES, "output_checker"):
            return shown
        return [p for p in shown if actor.name in p["researchers"]]

    def _open_for(self, project_id: int, actor: User, action: str) -> dict[str, Any]:
        """The stored project if ``actor`` is its named researcher and it is in force."""
        subject = f"research-project:{project_id}"
        with self.uow_factory() as uow:
            row = uow.research.project(project_id)
        if row is None:
            raise ResearchMissing(f"there is no research project {project_id}")
        if not actor.has("researcher") or actor.name not in json.loads(row["researchers"]):
            raise self._refuse(
                actor,
                action,
                subject,
                f"{actor.name} is not a named researcher on project {project_id}",
            )
        if not is_active(row, self.clock().date()):
            raise self._refuse(
                actor,
                action,
                subject,
                f"project {project_id} is {row['status']} and runs {row['starts_on']} to "
                f"{row['ends_on']}: it yields nothing unless approved and in date",
            )
        return row

    # -- extracts ---------------------------------------------------------------------------

    def extract(self, project_id: int, actor: User, out: Path) -> dict[str, Any]:
        """Write the project's extract and manifest into ``out``; audited with the manifest."""
        row = self._open_for(project_id, actor, "research.extract")
        now = self.clock()
        with self.uow_factory() as uow:
            built = extracts.build(uow, self.codes, self.hierarchy, row, now.date())
        manifest = extracts.write(
            built, row, out, {"made_by": actor.name, "made_at": now.isoformat()}
        )
        with self.uow_factory() as uow:
            uow.audit.record(
                actor,
                reason=row["title"][:300],
                action="research.extract",
                subject=f"research-project:{project_id}",
                outcome="allowed",
                detail={
                    k: manifest[k]
                    for k in (
                        "records_released",
                        "records_suppressed",
                        "k_achieved",
                        "l_achieved",
                        "files",
                    )
                },
            )
        return manifest

    # -- outputs ----------------------------------------------------------------------------

    def submit_outputs(
        self, project_id: int, files: dict[str, str], actor: User
    ) -> list[dict[str, Any]]:
        """Check the tables; refused ones stop here, the rest wait for an output checker."""
        row = self._open_for(project_id, actor, "research.output.submit")
        tables = [read_table(name, text) for name, text in files.items()]
        with self.uow_factory() as uow:
            released = [
                read_table(o["filename"], o["content"])
                for o in uow.research.outputs(project_id=project_id, status="approved")
            ]
        findings = check_outputs(tables, released)
        results = []
        with self.uow_factory() as uow:
            for t in tables:
                found = [f.as_dict() for f in findings[t.name]]
                status = "refused" if any(f["verdict"] == "refuse" for f in found) else "pending"
                oid = uow.research.add_output(
                    {
                        "project_id": row["id"],
                        "filename": t.name,
                        "content": files[t.name],
                        "sha256": hashlib.sha256(files[t.name].encode()).hexdigest(),
                        "findings": json.dumps(found),
                        "status": status,
                        "submitted_by": actor.name,
                        "submitted_at": self.clock(),
                    }
                )
                uow.audit.record(
                    actor,
                    reason="output check",
                    action="research.output.submit",
                    subject=f"research-output:{oid}",
                    outcome="allowed",
                    detail={"file": t.name, "status": status},
                )
                results.append({"id": oid, "file": t.name, "status": status, "findings": found})
        return results

    def outputs(self, status: str | None = None) -> list[dict[str, Any]]:
        with self.uow_factory() as uow:
            rows = uow.research.outputs(status=status)
        return [{**r, "findings": json.loads(r["findings"])} for r in rows]

    def decide_output(self, output_id: int, approve: bool, reason: str, actor: User) -> None:
        subject = f"research-output:{output_id}"
        if not actor.has("output_checker"):
            raise self._refuse(
                actor,
                "research.output.decide",
                subject,
                "only an output checker approves or returns outputs",
            )
        with self.uow_factory() as uow:
            out = uow.research.output(output_id)
        if out is None:
            raise ResearchMissing(f"there is no research output {output_id}")
        if out["submitted_by"] == actor.name:
            raise self._refuse(
                actor,
                "research.output.decide",
                subject,
                "an output is checked by someone other than its researcher",
            )
        if out["status"] != "pending":
            raise ResearchError(f"output {output_id} is {out['status']}, not pending")
        if not approve and not reason.strip():
            raise ResearchError("say why the output is returned, so the researcher can fix it")
        status = "approved" if approve else "returned"
        with self.uow_factory() as uow:
            uow.research.decide_output(
                output_id,
                {
                    "status": status,
                    "decided_by": actor.name,
                    "decided_at": self.clock(),
                    "reason": reason,
                },
            )
            uow.audit.record(
                actor,
                reason=reason or status,
                action="research.output.decide",
                subject=subject,
                outcome="allowed",
                detail={"status": status, "sha256": out["sha256"]},
            )
