"""Wire everything: settings → engine → schema → services. API, CLI and tests start here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Engine

from safeguard.accounts.service import AccountService
from safeguard.accounts.sessions import WebSessions
from safeguard.config import Settings
from safeguard.crime.lifecycle import load_lifecycle
from safeguard.crime.referral_service import ReferralLifecycleService
from safeguard.crime.rules import load_crime_rules
from safeguard.crime.service import CrimeService
from safeguard.domain.audit import CheckpointPolicy
from safeguard.domain.codes import CodeLists, load_code_lists
from safeguard.domain.messages import (
    AlertDecided,
    EventsWritten,
    MessageBus,
    NoticesRaised,
    PersonsAdded,
    PersonsChanged,
)
from safeguard.domain.obligations import load_obligations
from safeguard.identity.linking import IdentityService
from safeguard.ingest.service import IngestService
from safeguard.licensing.service import LicensingService
from safeguard.network.service import NetworkService
from safeguard.people.service import PeopleService
from safeguard.research.service import ResearchService
from safeguard.risk.escalation import SmtpMailer
from safeguard.risk.rules import load_risk_rules
from safeguard.risk.service import RiskService
from safeguard.sharing.access import AlertAssignments
from safeguard.sharing.access_history import AccessHistoryService
from safeguard.sharing.audit_batch import AuditBatcher
from safeguard.sharing.audit_service import AuditService
from safeguard.sharing.need_to_know import Clock, NeedToKnow
from safeguard.sharing.service import SharingService
from safeguard.store import migrate
from safeguard.store.audit_head import HeadFile, head_path
from safeguard.store.engine import build_engine
from safeguard.store.uow import UnitOfWork
from safeguard.support.pathways import check_codes, load_pathways
from safeguard.support.school import SchoolService
from safeguard.support.service import SupportService


@dataclass
class Platform:
    """The wired application: one per process (or per test)."""

    settings: Settings
    engine: Engine
    codes: CodeLists
    ingest: IngestService
    accounts: AccountService
    sessions: WebSessions
    people: PeopleService
    identity: IdentityService
    network: NetworkService
    sharing: SharingService
    audit: AuditService
    uow_factory: Callable[[], UnitOfWork]
    crime: CrimeService
    referrals: ReferralLifecycleService
    licensing: LicensingService
    risk: RiskService
    research: ResearchService
    access_history: AccessHistoryService
    support: SupportService
    school: SchoolService

    def uow(self) -> UnitOfWork:
        return self.uow_factory()

    def close(self) -> None:
        self.engine.dispose()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def bootstrap(
    settings: Settings | None = None,
    *,
    upgrade: bool = True,
    clock: Clock = _utc_now,
    alerts: AlertAssignments | None = None,
    checkpoint_every: int | None = None,
) -> Platform:
    """Build the platform. ``upgrade`` brings the store's schema to the latest migration.

    ``clock`` is "now" for sharing deadlines (tests move it); ``alerts`` is the risk
    capability's port for alert assignments; every ``checkpoint_every`` audit entries a
    checkpoint is signed with the secret key (default: the setting), and the latest is also kept
    in a file under the data directory.
    """
    settings = settings or Settings()
    engine = build_engine(settings.database_url)
    codes = load_code_lists()
    obligations = load_obligations(codes)
    rules = load_crime_rules()  # validated at start-up: a bad rules file stops here
    risk_rules = load_risk_rules()  # refuses any rule naming a protected field
    pathways = load_pathways()  # support pathways: a malformed file stops here
    check_codes(pathways, risk_rules.outcomes, rules.typologies)
    if upgrade:
        migrate.upgrade(engine)
        _seed_agencies(engine, codes)
    head = HeadFile(head_path(settings.data_dir, settings.database_url))
    policy = CheckpointPolicy(
        settings.secret_key,
        checkpoint_every or settings.audit_checkpoint_every,
        settings.audit_checkpoint_minutes,
        head,
    )
    uow_factory = partial(UnitOfWork, engine, policy)
    need_to_know = NeedToKnow(codes, clock, alerts, AuditBatcher(uow_factory))
    sharing = SharingService(
        uow_factory, codes, obligations, need_to_know, clock, settings.secret_key
    )
    mailer = None
    if settings.smtp_host:
        mailer = SmtpMailer(
            settings.smtp_host, settings.smtp_port, settings.smtp_from, settings.smtp_starttls
        )
    bus = MessageBus()
    risk = RiskService(uow_factory, codes, risk_rules, clock, mailer, bus)
    if alerts is None:
        need_to_know.alerts = risk  # a user assigned an alert may read that child
    support = SupportService(uow_factory, codes, pathways, rules, clock)
    platform = Platform(
        settings=settings,
        engine=engine,
        codes=codes,
        ingest=IngestService(uow_factory, codes, bus),
        accounts=AccountService(uow_factory, codes, settings.token_ttl_days),
        sessions=WebSessions(uow_factory),
        people=PeopleService(uow_factory, codes, need_to_know, settings.secret_key),
        sharing=sharing,
        audit=AuditService(uow_factory, settings.secret_key, head),
        uow_factory=uow_factory,
        identity=IdentityService(uow_factory, codes, bus),
        network=NetworkService(uow_factory, codes, settings.secret_key),
        crime=CrimeService(uow_factory, codes, rules),
        referrals=ReferralLifecycleService(uow_factory, codes, load_lifecycle(), clock),
        licensing=LicensingService(uow_factory, codes, clock, bus=bus),
        risk=risk,
        research=ResearchService(uow_factory, codes, clock),
        access_history=AccessHistoryService(uow_factory),
        support=support,
        school=SchoolService(uow_factory, codes, pathways, clock, need_to_know.batcher),
    )
    _after_writes(bus, platform)
    return platform


def _after_writes(bus: MessageBus, p: Platform) -> None:
    """Who acts after which write: the one list (domain/messages.py says what each carries).
    Handlers of a message run in this order, inside the publisher's transaction when the
    message carries ``uow``."""
    bus.subscribe(
        EventsWritten,
        lambda m: p.sharing.record_shares(m.uow, m.agency, m.written, m.revised, m.people),
    )
    bus.subscribe(
        EventsWritten, lambda m: p.risk.on_events_written(m.uow, m.agency, m.written, m.revised)
    )
    bus.subscribe(
        EventsWritten, lambda m: p.support.on_events_written(m.uow, m.agency, m.written, m.people)
    )
    bus.subscribe(
        AlertDecided, lambda m: p.support.on_alert_decided(m.uow, m.alert, m.outcome, m.at)
    )
    bus.subscribe(PersonsAdded, lambda m: p.identity.resolve_new(m.actor, m.agency, m.local_ids))
    bus.subscribe(PersonsChanged, lambda _m: p.network.invalidate())
    bus.subscribe(NoticesRaised, lambda _m: p.network.invalidate())


def _seed_agencies(engine: Engine, codes: CodeLists) -> None:
    """Keep the agencies table in step with the packaged code list (adds, never deletes)."""
    with UnitOfWork(engine) as uow:
        known = uow.agencies.codes()
        uow.agencies.add_many(
            [
                {
                    "code": a.code,
                    "kind": a.kind,
                    "name": a.name,
                    "la_code": a.la_code,
                    "force_code": a.force_code,
                }
                for a in codes.agencies.values()
                if a.code not in known
            ]
        )
