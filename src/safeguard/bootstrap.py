"""Wire everything: settings → engine → schema → services. API, CLI and tests start here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine

from safeguard.accounts.service import AccountService
from safeguard.config import Settings
from safeguard.crime.rules import load_crime_rules
from safeguard.crime.service import CrimeService
from safeguard.domain.codes import CodeLists, load_code_lists
from safeguard.ingest.service import IngestService
from safeguard.people.service import PeopleService
from safeguard.store import migrate
from safeguard.store.engine import build_engine
from safeguard.store.uow import UnitOfWork


@dataclass
class Platform:
    """The wired application: one per process (or per test)."""

    settings: Settings
    engine: Engine
    codes: CodeLists
    ingest: IngestService
    accounts: AccountService
    people: PeopleService
    crime: CrimeService

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, upgrade: bool = True) -> Platform:
    """Build the platform. ``upgrade`` brings the store's schema to the latest migration."""
    settings = settings or Settings()
    engine = build_engine(settings.database_url)
    codes = load_code_lists()
    rules = load_crime_rules()  # validated at start-up: a bad rules file stops here
    if upgrade:
        migrate.upgrade(engine)
        _seed_agencies(engine, codes)
    uow_factory = partial(UnitOfWork, engine)
    return Platform(
        settings=settings,
        engine=engine,
        codes=codes,
        ingest=IngestService(uow_factory, codes),
        accounts=AccountService(uow_factory, codes, settings.token_ttl_days),
        people=PeopleService(uow_factory, codes),
        crime=CrimeService(uow_factory, codes, rules),
    )


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
