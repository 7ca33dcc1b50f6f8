"""Blocking-key indexes kept in memory, so one new record finds its candidates without SQL.

Built once from the standardised store and updated as records are resolved. The store is held
column by column as dictionary codes (4 bytes a value; each distinct value once), and for each
prediction blocking rule as a sorted array of keys combined from the codes with the row
positions (12 bytes a record a rule, where a dict of lists would take ~100). Records added
later are kept as rows with a small dict per rule. A lookup checks the rule's columns for real
equality, so a key collision can never make a candidate of a non-candidate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from safeguard.analytics import linkage_model as model

Row = tuple[Any, ...]
_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class EncodedColumn:
    """One column of the store: a code per record (-1 for NULL) and the distinct values."""

    codes: np.ndarray[Any, np.dtype[np.int32]]
    values: Sequence[Any]


class CandidateIndex:
    """The store's standardised records and, per blocking rule, key → records sharing it."""

    def __init__(self, columns: Sequence[str], store: Mapping[str, EncodedColumn]) -> None:
        self.columns = tuple(columns)
        position = {c: i for i, c in enumerate(self.columns)}
        self._id = position["record_id"]
        id_values = store["record_id"].values
        self._base = len(store["record_id"].codes)
        # Codes with NULL as the last value, so every row gathers with one numpy take.
        self._codes: list[np.ndarray[Any, np.dtype[np.int32]]] = []
        self._values: list[np.ndarray[Any, np.dtype[np.object_]]] = []
        for c in self.columns:
            col = store[c]
            values = np.empty(len(col.values) + 1, dtype=object)
            values[: len(col.values)] = list(col.values)
            values[-1] = None
            self._codes.append(np.where(col.codes < 0, len(col.values), col.codes).astype(np.int32))
            self._values.append(values)
        ids = np.asarray(id_values, dtype=object)[store["record_id"].codes]
        self._id_order = np.argsort(ids, kind="stable").astype(np.int32)
        self._id_sorted = ids[self._id_order]  # record id → row by binary search
        #: Per rule: the columns a stored row is keyed on, and the new record's columns that
        #: look it up (they differ for the swapped-names rule).
        self.rules: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        for rule in model.PREDICTION_BLOCKING_RULES:
            stored = tuple(position[c] for c in model.rule_columns(rule))
            probe = stored[::-1] if isinstance(rule, str) else stored
            self.rules.append((stored, probe))
        keyed = sorted({c for stored, _ in self.rules for c in stored})
        self._lookup = {
            c: {v: code for code, v in enumerate(store[self.columns[c]].values)} for c in keyed
        }
        self._sizes = {c: len(store[self.columns[c]].values) + 1 for c in keyed}
        self._keys: list[np.ndarray[Any, np.dtype[np.int64]]] = []
        self._rows: list[np.ndarray[Any, np.dtype[np.int32]]] = []
        for stored, _probe in self.rules:
            raw = [store[self.columns[c]].codes for c in stored]
            valid = np.logical_and.reduce([r >= 0 for r in raw])
            key = np.zeros(self._base, dtype=np.uint64)
            for at, r in zip(stored, raw, strict=True):
                size = np.uint64(self._sizes[at])
                key = np.add(np.multiply(key, size), np.maximum(r, 0).astype(np.uint64))
            rows = np.flatnonzero(valid).astype(np.int32)
            keys = key[rows].view(np.int64)
            order = np.argsort(keys, kind="stable")
            self._keys.append(keys[order])
            self._rows.append(rows[order])
        self._added: list[Row] = []
        self._added_at: dict[str, int] = {}
        self._added_keys: list[dict[tuple[Any, ...], list[int]]] = [{} for _ in self.rules]
        self._dead: set[int] = set()

    def __len__(self) -> int:
        return self._base + len(self._added) - len(self._dead)

    def add(self, row: Row) -> None:
        """A record now in the store (new, or a new version of one already held)."""
        record_id = row[self._id]
        at = self._base + len(self._added)
        previous = self._added_at.get(record_id)
        if previous is None:
            previous = self._base_position(record_id)
        if previous is not None:  # the old version is no candidate any more
            self._dead.add(previous)
        self._added.append(row)
        self._added_at[record_id] = at
        for (stored, _probe), keys in zip(self.rules, self._added_keys, strict=True):
            key = _values(row, stored)
            if key is not None:
                keys.setdefault(key, []).append(at)

    def candidates(self, new: Row) -> list[Row]:
        """Every live stored row that any blocking rule pairs with ``new`` (not itself)."""
        found: list[np.ndarray[Any, np.dtype[np.int32]]] = []
        added: set[int] = set()
        for i, (stored, probe) in enumerate(self.rules):
            wanted = _values(new, probe)
            if wanted is None:
                continue
            added.update(self._added_keys[i].get(wanted, ()))
            codes = self._codes_of(stored, wanted)
            if codes is not None:
                found.append(self._base_rows(i, stored, codes))
        base = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int32)
        if self._dead:
            base = base[~np.isin(base, list(self._dead))]
            added -= self._dead
        rows = self._gather(base) + [self._added[at - self._base] for at in sorted(added)]
        return [row for row in rows if row[self._id] != new[self._id]]

    def _base_position(self, record_id: str) -> int | None:
        at = int(np.searchsorted(self._id_sorted, record_id))
        if at < len(self._id_sorted) and self._id_sorted[at] == record_id:
            return int(self._id_order[at])
        return None

    def _codes_of(self, stored: tuple[int, ...], wanted: tuple[Any, ...]) -> list[int] | None:
        codes = []
        for c, value in zip(stored, wanted, strict=True):
            code = self._lookup[c].get(value)
            if code is None:
                return None  # a value no stored record holds
            codes.append(code)
        return codes

    def _base_rows(
        self, rule: int, stored: tuple[int, ...], codes: list[int]
    ) -> np.ndarray[Any, np.dtype[np.int32]]:
        key = 0
        for c, code in zip(stored, codes, strict=True):
            key = (key * self._sizes[c] + code) & _MASK
        signed = key - (1 << 64) if key >= 1 << 63 else key
        keys = self._keys[rule]
        lo, hi = np.searchsorted(keys, signed, side="left"), np.searchsorted(keys, signed, "right")
        rows = self._rows[rule][lo:hi]
        for c, code in zip(stored, codes, strict=True):  # combined keys may collide
            rows = rows[self._codes[c][rows] == code]
        return rows

    def _gather(self, rows: np.ndarray[Any, np.dtype[np.int32]]) -> list[Row]:
        if not len(rows):
            return []
        columns = [
            values[codes[rows]] for values, codes in zip(self._values, self._codes, strict=True)
        ]
        return list(zip(*columns, strict=True))


def _values(row: Row, columns: tuple[int, ...]) -> tuple[Any, ...] | None:
    """The row's values in ``columns``; None when any is NULL (SQL equality never holds)."""
    key = tuple(row[c] for c in columns)
    return None if any(v is None for v in key) else key
