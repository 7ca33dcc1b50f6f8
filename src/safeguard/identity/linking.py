"""The identity capability on the operational store: batch re-link, real-time resolution,
the review queue and explanations. The CLI, the API and the pages call this service."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from safeguard.analytics.linkage_engine import LinkageEngine
from safeguard.domain.actors import Actor
from safeguard.domain.codes import CodeLists, load_code_lists
from safeguard.domain.identity import ReviewDecision, ReviewItem
from safeguard.domain.messages import MessageBus, PersonsChanged
from safeguard.identity.explain import explain_pair, explain_reference
from safeguard.identity.resolve import Resolution, decide
from safeguard.identity.service import Progress, decision_links, relink
from safeguard.identity.stable import resolve_ref
from safeguard.store.identity_repository import SqlIdentityRepository, record_id
from safeguard.store.uow import UnitOfWork

REVIEW_ROLES = frozenset({"mash"})
#: The store lock that serialises re-links and real-time resolutions across processes.
IDENTITY_LOCK = "identity"
#: Submissions with more new person records than this are linked by the batch path.
REALTIME_LIMIT = 500


class IdentityError(ValueError):
    """An identity request cannot be met; the message says why in a sentence."""


class ReviewerRequired(IdentityError):
    """The user's role may not review record pairs (an HTTP 403, audited)."""


class OutsideArea(ReviewerRequired):
    """A reviewer asked about records none of which is in their hub's area (403, audited)."""


@dataclass(frozen=True)
class LinkSummary:
    records: int
    references: int
    issued: int
    merges: int
    splits: int
    queued: int
    model_version: int


class IdentityService:
    """Keeps one warm linkage engine per process for real-time scoring and explanations."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codes: CodeLists | None = None,
        bus: MessageBus | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        #: Areas of records and reviewers: a reviewer sees only pairs in their hub's area.
        self.codes = codes or load_code_lists()
        self._lock = threading.Lock()
        self._engine: LinkageEngine | None = None
        self._engine_model: int | None = None
        #: The newest record version the warm engine holds; later ones are added on use.
        self._engine_watermark = 0
        #: Publishes ``PersonsChanged`` after references change (re-link or real time): views
        #: built on persons, such as the network graph, drop what they cached.
        self.bus = bus or MessageBus()

    def _persons_changed(self) -> None:
        self.bus.publish(PersonsChanged())

    # --- batch --------------------------------------------------------------------------------

    def link(self, actor: Actor, progress: Progress | None = None) -> LinkSummary:
        """Re-link every current record, keeping every existing reference (one transaction)."""
        with self.uow_factory() as uow:
            uow.lock(IDENTITY_LOCK)
            repo = uow.identity
            if uow.records.count() == 0:
                raise IdentityError("there are no person records to link; ingest some first")
            outcome = relink(repo, LinkageEngine("duckdb"), progress=progress)
            repo.refresh_statistics()
            model = repo.load_model()
            queued = len(repo.load_review_queue())
            summary = LinkSummary(
                records=len(outcome.assignment),
                references=len(set(outcome.assignment.values())),
                issued=len(outcome.issued),
                merges=sum(1 for e in outcome.events if e.kind == "merge"),
                splits=sum(1 for e in outcome.events if e.kind == "split"),
                queued=queued,
                model_version=model.version if model else 0,
            )
            uow.audit.record(
                actor,
                reason="re-link",
                action="identity.link",
                subject="identity",
                outcome="written",
                detail=summary.__dict__,
            )
        with self._lock:
            self._engine = None
        self._persons_changed()
        return summary

    # --- real time ----------------------------------------------------------------------------

    def _warm_engine(
        self, repo: SqlIdentityRepository, resolving: frozenset[str] = frozenset()
    ) -> LinkageEngine | None:
        """The engine with the latest model and every current record: built once, then
        caught up with records other processes stored since (they are candidates too)."""
        model = repo.load_model()
        if model is None:
            return None
        watermark = repo.last_record_id()
        if self._engine is None or self._engine_model != model.version:
            engine = LinkageEngine("duckdb")
            frame = repo.load_records()
            engine.load_frame(frame[~frame["record_id"].isin(list(resolving))])
            engine.prepare()
            engine.load_model(model.model_json)
            engine.enable_realtime()
            self._engine, self._engine_model = engine, model.version
        elif watermark > self._engine_watermark:
            later = repo.load_records(after=self._engine_watermark)
            for rec in later.to_dict("records"):
                if rec["record_id"] not in resolving:
                    self._engine.add_realtime_record(_clean(rec))
        self._engine_watermark = watermark
        return self._engine

    def resolve_new(self, actor: Actor, agency: str, local_ids: list[str]) -> list[Resolution]:
        """Ingest's hook: small submissions are resolved at once; large ones wait for the
        batch `identity link`, which is faster per record and re-trains the model."""
        if len(local_ids) > REALTIME_LIMIT:
            return []
        return self.resolve(actor, agency, local_ids)

    def resolve(self, actor: Actor, agency: str, local_ids: list[str]) -> list[Resolution]:
        """Give newly stored records a reference now: join, create, or create and queue."""
        out: list[Resolution] = []
        with self._lock, self.uow_factory() as uow:
            # One resolution at a time across processes: each must see the references the
            # one before it issued, or two agencies' records of one child get two references.
            uow.lock(IDENTITY_LOCK)
            repo = uow.identity
            ids = [record_id(agency, i) for i in local_ids]
            engine = self._warm_engine(repo, frozenset(ids))
            if engine is None:
                return []
            frame = repo.load_records(ids)
            _must, cannot = decision_links(repo.load_decisions())
            already = repo.load_assignments(ids)
            for rec in frame.to_dict("records"):
                clean = _clean(rec)
                if clean["record_id"] in already:
                    continue  # a re-link since the submission already gave it a reference
                scores = engine.score_new_pairs(clean)
                # Only the candidates' references, read now: never the whole assignment.
                candidates = {str(p["record_id_l"]) for p in scores}
                assignment = repo.load_assignments(sorted(candidates))
                outcome = decide(
                    str(rec["record_id"]), scores, assignment, repo.next_child_ref, cannot
                )
                repo.update_assignments({outcome.record_id: outcome.child_ref})
                repo.queue_for_review(outcome.review)
                engine.add_realtime_record(clean)
                out.append(outcome)
            uow.audit.record(
                actor,
                reason="real-time resolution",
                action="identity.resolve",
                subject=f"agency:{agency}",
                outcome="written",
                detail={
                    d: sum(1 for o in out if o.decision == d) for d in ("join", "create", "review")
                },
            )
        self._persons_changed()
        return out

    # --- review queue -------------------------------------------------------------------------

    def _require_reviewer(self, actor: Actor, action: str, subject: str) -> None:
        """Reviewers only; a refusal is written to the audit log before it is raised."""
        if actor.role not in REVIEW_ROLES:
            with self.uow_factory() as uow:
                _denied(uow, actor, action, subject, "not a reviewer")
            raise ReviewerRequired(f"role {actor.role} may not review record pairs")

    def _reviewer_area(self, actor: Actor) -> str | None:
        """The local authority a reviewer works for; None for the platform's own operator (the
        server's command line), who reviews every area."""
        if actor.agency == "PLATFORM":
            return None
        agency = self.codes.agencies.get(actor.agency)
        return agency.la_code if agency is not None and agency.la_code else ""

    def _areas(self, repo: SqlIdentityRepository, record_ids: list[str]) -> dict[str, str | None]:
        records = repo.load_records(record_ids)
        return {
            rid: self.codes.la_of_record(rid.split("/", 1)[0], postcode)
            for rid, postcode in zip(records["record_id"], records["postcode"], strict=True)
        }

    def _require_area(
        self, uow: UnitOfWork, actor: Actor, record_ids: list[str], action: str, subject: str
    ) -> None:
        """Need to know for reviewers: at least one of the records is in their hub's area;
        otherwise the refusal is audited and raised (names, dates of birth and NHS numbers of
        other areas' children are not a reviewer's to read)."""
        area = self._reviewer_area(actor)
        if area is None:
            return
        areas = self._areas(uow.identity, record_ids)
        if area and area in areas.values():
            return
        _denied(uow, actor, action, subject, "no record in the reviewer's area")
        uow.commit()
        raise OutsideArea("none of these records is in your hub's area")

    def review_queue(self, actor: Actor) -> list[ReviewItem]:
        self._require_reviewer(actor, "identity.queue.read", "identity")
        with self.uow_factory() as uow:
            repo = uow.identity
            items = repo.load_review_queue()
            area = self._reviewer_area(actor)
            if area is not None:
                ids = sorted({r for i in items for r in (i.record_id_l, i.record_id_r)})
                areas = self._areas(repo, ids)
                items = [
                    i
                    for i in items
                    if area and area in (areas.get(i.record_id_l), areas.get(i.record_id_r))
                ]
            uow.audit.record(
                actor,
                reason="identity review",
                action="identity.queue.read",
                subject="identity",
                outcome="allowed",
                detail={"items": len(items)},
            )
        return items

    def record_decision(
        self,
        actor: Actor,
        left: str,
        right: str,
        decision: Literal["same", "not_same"],
        reason: str,
    ) -> None:
        """A reviewer's verdict; every later re-link respects it (must-link / cannot-link)."""
        self._require_reviewer(actor, "identity.decision", f"pair:{left}|{right}")
        if len(reason.strip()) < 3:
            raise IdentityError("say why in a few words: the reason is kept with the decision")
        if left == right:
            raise IdentityError("a decision is about two different records")
        with self.uow_factory() as uow:
            repo = uow.identity
            self._require_area(
                uow, actor, [left, right], "identity.decision", f"pair:{left}|{right}"
            )
            known = set(repo.load_records([left, right])["record_id"])
            missing = [r for r in (left, right) if r not in known]
            if missing:
                raise IdentityError(
                    f"no current record {missing[0]!r}; a record id is AGENCY/local_id"
                )
            repo.add_decision(ReviewDecision(left, right, decision, reason.strip(), actor.name))
            uow.audit.record(
                actor,
                reason=reason,
                action="identity.decision",
                subject=f"pair:{left}|{right}",
                outcome="written",
                detail={"decision": decision},
            )

    # --- references and explanations --------------------------------------------------------

    def explain(self, actor: Actor, left: str, right: str | None = None) -> dict[str, Any]:
        """Match weights per comparison for a pair of records, or for every pair in a reference
        (``left`` is then the reference). Reviewers only; every explanation is audited."""
        self._require_reviewer(actor, "identity.explain", f"pair:{left}|{right or ''}")
        with self._lock, self.uow_factory() as uow:
            repo = uow.identity
            subject = f"pair:{left}|{right or ''}"
            if right is not None:
                members = [left, right]
            else:
                ref = resolve_ref(left, repo.load_aliases())
                members = [r for r, x in repo.load_assignments().items() if x == ref]
            self._require_area(uow, actor, members, "identity.explain", subject)
            engine = self._warm_engine(repo)
            if engine is None:
                uow.audit.record(
                    actor,
                    reason="identity review",
                    action="identity.explain",
                    subject=f"pair:{left}|{right or ''}",
                    outcome="unavailable",
                )
                uow.commit()
                raise IdentityError("no linkage model yet: run `safeguard identity link` first")
            if right is not None:
                result = explain_pair(engine, left, right)
            else:
                result = explain_reference(engine, repo.load_assignments(), ref)
            uow.audit.record(
                actor,
                reason="identity review",
                action="identity.explain",
                subject=f"pair:{left}|{right or ''}",
                outcome="allowed",
            )
        return result


def _denied(uow: UnitOfWork, actor: Actor, action: str, subject: str, why: str) -> None:
    """A reviewer's refused request, on the audit log."""
    uow.audit.record(
        actor,
        reason="identity review",
        action=action,
        subject=subject,
        outcome="denied",
        detail={"why": why},
    )


def _clean(rec: dict[Any, Any]) -> dict[str, Any]:
    """A record row with pandas' missing values as None."""
    return {str(k): (None if v is None or v != v else v) for k, v in rec.items()}
