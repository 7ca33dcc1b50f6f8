"""The summary table ``safeguard synth`` prints after generating a region."""

from __future__ import annotations

from rich.table import Table

from safeguard.synth.region import RegionSummary


def summary_table(s: RegionSummary) -> Table:
    """Counts of people, records per agency kind, events and scenarios."""
    table = Table(title=f"Synthetic region (seed {s.seed}) in {s.out_dir}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("children", f"{s.children:,}")
    table.add_row("adults", f"{s.adults:,}")
    for kind, n in s.records.items():
        table.add_row(f"{kind} person records", f"{n:,}")
    table.add_row("events", f"{s.events:,}")
    table.add_row("agencies", f"{len(s.agencies)}")
    for kind, n in sorted(s.scenarios.items()):
        table.add_row(f"{kind} scenarios", f"{n:,}")
    table.add_row("exploited children", f"{s.exploited_children:,}")
    return table
