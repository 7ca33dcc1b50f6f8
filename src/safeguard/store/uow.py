"""Unit of work: one transaction, with the repositories that act inside it."""

from __future__ import annotations

import hashlib
from types import TracebackType

from sqlalchemy import Connection, Engine, text

from safeguard.domain.audit import CheckpointPolicy
from safeguard.store.audit_repository import AuditRepository
from safeguard.store.crime_repository import CrimeRepository
from safeguard.store.identity_repository import SqlIdentityRepository
from safeguard.store.licensing_repository import LicensingRepository
from safeguard.store.notification_repository import NotificationRepository
from safeguard.store.repositories import (
    AgencyRepository,
    EventRepository,
    PersonRepository,
    RecordRepository,
    SubmissionRepository,
    UserRepository,
)
from safeguard.store.research_repository import ResearchRepository
from safeguard.store.risk_repository import RiskRepository
from safeguard.store.session_repository import SessionRepository
from safeguard.store.sharing_repositories import (
    BreakGlassRepository,
    ChronologyRepository,
    ShareRepository,
)
from safeguard.store.support_repository import SupportRepository


class UnitOfWork:
    """Everything inside ``with uow:`` commits together or not at all."""

    def __init__(self, engine: Engine, checkpoints: CheckpointPolicy | None = None) -> None:
        self.engine = engine
        self.checkpoints = checkpoints
        self._connection: Connection | None = None

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._connection

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def __enter__(self) -> UnitOfWork:
        self._connection = self.engine.connect()
        self._connection.begin()
        conn = self._connection
        self.submissions = SubmissionRepository(conn)
        self.records = RecordRepository(conn)
        self.events = EventRepository(conn)
        self.persons = PersonRepository(conn)
        self.users = UserRepository(conn)
        self.sessions = SessionRepository(conn)
        self.audit = AuditRepository(conn, self.checkpoints)
        self.shares = ShareRepository(conn)
        self.break_glass = BreakGlassRepository(conn)
        self.chronology = ChronologyRepository(conn)
        self.agencies = AgencyRepository(conn)
        self.crime = CrimeRepository(conn)
        self.licensing = LicensingRepository(conn)
        self.risk = RiskRepository(conn)
        self.notifications = NotificationRepository(conn)
        self.research = ResearchRepository(conn)
        self.identity = SqlIdentityRepository(conn)
        self.support = SupportRepository(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.connection
        try:
            if exc_type is None:
                conn.commit()
                self._publish_head()
            else:
                conn.rollback()
        finally:
            conn.close()
            self._connection = None

    def _publish_head(self) -> None:
        """Once committed, a checkpoint signed here becomes the head kept outside the database."""
        signed = self.audit.signed
        if signed is not None and self.checkpoints is not None and self.checkpoints.head:
            self.checkpoints.head.write(signed)
        self.audit.signed = None

    def identity_ref_of(self, agency: str, local_id: str) -> str | None:
        """The child reference a current record holds now, if any."""
        rows = self.records.history(agency, local_id)
        person = self.persons.get(rows[-1].person_id) if rows else None
        return None if person is None else person.child_ref

    def lock(self, name: str) -> None:
        """Hold the named lock until this unit of work ends, so work that must not interleave
        across processes (two submissions of one agency, two real-time resolutions) queues.

        PostgreSQL: a transaction-level advisory lock, released by commit, rollback or a dead
        connection. SQLite lets one writer in at a time and is a one-process store, so no-op.
        """
        if self.dialect == "postgresql":
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    def commit(self) -> None:
        """Commit now and start a new transaction (for long jobs that work in batches)."""
        self.connection.commit()
        self._publish_head()
        self.connection.begin()
