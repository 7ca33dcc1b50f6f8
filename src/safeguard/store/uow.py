"""Unit of work: one transaction, with the repositories that act inside it."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine

from safeguard.store.crime_repository import CrimeRepository
from safeguard.store.repositories import (
    AgencyRepository,
    AuditRepository,
    EventRepository,
    PersonRepository,
    RecordRepository,
    SubmissionRepository,
    UserRepository,
)


class UnitOfWork:
    """Everything inside ``with uow:`` commits together or not at all."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
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
        self.audit = AuditRepository(conn)
        self.agencies = AgencyRepository(conn)
        self.crime = CrimeRepository(conn)
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
            else:
                conn.rollback()
        finally:
            conn.close()
            self._connection = None

    def commit(self) -> None:
        """Commit now and start a new transaction (for long jobs that work in batches)."""
        self.connection.commit()
        self.connection.begin()
