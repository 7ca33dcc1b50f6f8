"""The national return as built: published tables, charts, headline, and the protected cube
they were all computed from."""

from dataclasses import dataclass, field

from safeguard.crime.cube import Key
from safeguard.crime.national import StatTable
from safeguard.crime.protected import (
    CountTable,
    ProtectedCube,
)
from safeguard.crime.rules import CrimeRules


@dataclass
class NationalReturn:
    """Every published table, with the layout of its count cells (for the audit's manifest),
    the charts and the headline, all computed from ``cube``'s published cells."""

    year: int
    tables: list[StatTable]
    charts: dict[str, str] = field(default_factory=dict)
    headline: dict[str, str] = field(default_factory=dict)
    cube: ProtectedCube | None = None
    layouts: dict[str, CountTable] = field(default_factory=dict)
    headline_cells: dict[str, tuple[Key, Key, float | None]] = field(default_factory=dict)
    threshold: int = 10
    rules: CrimeRules | None = None

    def add(self, counts: CountTable, table: StatTable) -> None:
        self.tables.append(table)
        self.layouts[table.name] = counts
