"""The sharing report as published outside the hubs: small numbers withheld.

Counts per agency and duty are small (a handful of children a month in one authority), and the
report says which agency failed to share about whom. For readers outside the MASH and the audit
function (statisticians, who publish it) every count goes through the same primary and
secondary suppression as the national statistics (``crime.protected``), solved jointly over the
outcome columns and their totals, so no withheld cell can be worked out from the row's total.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from safeguard.crime.protected import count_table, protect_tables
from safeguard.domain.codes import CodeLists
from safeguard.sharing.compliance import ComplianceRow

OUTCOMES = ("on_time", "late", "not_shared", "timing_unknown", "never_made")


def protect_compliance(
    rows: list[ComplianceRow], codes: CodeLists, threshold: int
) -> list[ComplianceRow]:
    """``rows`` with every count under the threshold, and what would reveal it, withheld."""
    if not rows:
        return []
    keys = [f"{r.agency}|{r.obligation}" for r in rows]
    frame = pd.DataFrame({o: [int(getattr(r, o)) for r in rows] for o in OUTCOMES}, index=keys)
    table = count_table("sharing", "Shares due", frame, "shares_due", "duty", "outcome")
    cube = protect_tables([table], codes, threshold)
    grid = table.layout.grid()
    out = []
    for i, r in enumerate(rows):
        cells = grid[i]
        withheld = {
            o for o, cell in zip(OUTCOMES, cells, strict=False) if cube.published(cell) is None
        }
        if len(cells) > len(OUTCOMES) and cube.published(cells[len(OUTCOMES)]) is None:
            withheld.add("due")
        if withheld & {"on_time", "late"} or (r.on_time + r.late) < threshold:
            withheld.add("median_delay_hours")
        out.append(replace(r, withheld=frozenset(withheld)))
    return out
