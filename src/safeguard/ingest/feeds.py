"""Reading agency files (CSV and JSON Lines) into raw rows, with the row number of each."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from safeguard.ingest.errors import RowError
from safeguard.ingest.validation import UNSTORABLE

FileFormat = Literal["csv", "jsonl"]
Kind = Literal["persons", "events"]

MAX_ROWS = 2_000_000


@dataclass
class RawFeed:
    """A parsed file: its rows as dicts (row 1 is the first data row) and any parse errors."""

    fmt: FileFormat
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    errors: list[RowError]
    #: No value can hold a character the store refuses: the text has none, and (JSON Lines)
    #: no escape that could write one. Rows then skip that check on the quick path.
    storable: bool = False


def detect_format(filename: str) -> FileFormat:
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    return "csv"


def detect_kind(columns: list[str]) -> Kind:
    return "events" if "event_type" in columns else "persons"


def parse_feed(content: bytes, fmt: FileFormat) -> RawFeed:
    """Decode and split the file; never raises on bad content, returns errors instead."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = RowError(
            0,
            "(file)",
            "",
            f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8 and send it again",
        )
        return RawFeed(fmt, [], [], [error])
    feed = _parse_jsonl(text) if fmt == "jsonl" else _parse_csv(text)
    # CSV cells are slices of the text; a JSON string can spell any character as an escape.
    feed.storable = UNSTORABLE.search(text) is None and (fmt == "csv" or "\\" not in text)
    return feed


def _parse_csv(text: str) -> RawFeed:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[RowError] = []
    try:
        header = next(reader)
    except StopIteration:
        return RawFeed("csv", [], [], [RowError(0, "(file)", "", "the file is empty")])
    except csv.Error as exc:
        return RawFeed("csv", [], [], [RowError(0, "(header)", "", _csv_problem(exc))])
    columns = [c.strip() for c in header]
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            errors.append(
                RowError(
                    0,
                    column or "(blank column)",
                    "",
                    "appears more than once in the header; name each column once",
                )
            )
        seen.add(column)
    if errors:
        return RawFeed("csv", columns, [], errors)
    rows: list[tuple[int, dict[str, Any]]] = []
    number = 0
    try:
        for number, cells in enumerate(_records(reader), start=1):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                errors.append(
                    RowError(
                        number,
                        "(row)",
                        "",
                        f"has {len(cells)} cells but the "
                        f"header has {len(columns)}; check quoting and commas",
                    )
                )
                continue
            rows.append((number, dict(zip(columns, cells, strict=True))))
            if number > MAX_ROWS:
                errors.append(
                    RowError(number, "(file)", "", f"more than {MAX_ROWS} rows; split the file")
                )
                break
    except csv.Error as exc:
        errors.append(RowError(number + 1, "(row)", "", _csv_problem(exc)))
    return RawFeed("csv", columns, rows, errors)


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint as what to do about it."""
    said = str(exc)
    if said == "unexpected end of data":
        return "unreadable CSV: the file ends inside a quoted value; close the quote"
    return f"unreadable CSV: {said}; check quoting and commas"


def _records(reader: Any) -> Iterator[list[str]]:
    yield from reader


class _DuplicateKey(ValueError):
    """A JSON object names the same field twice (json.loads would keep only the last)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


#: Deepest nesting a feed line may have: details are a few levels at most, and a limit keeps
#: every later step (storage, sharing, pages) clear of deep recursion.
MAX_JSON_DEPTH = 32


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = list(item.values())
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def _parse_jsonl(text: str) -> RawFeed:
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    columns: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            errors.append(RowError(number, "(line)", line[:60], f"not valid JSON: {exc.msg}"))
            continue
        except _DuplicateKey as exc:
            errors.append(
                RowError(
                    number,
                    str(exc)[:80] or "(line)",
                    "",
                    "appears twice in the object; give each field once",
                )
            )
            continue
        except RecursionError:
            errors.append(RowError(number, "(line)", line[:60], "nests JSON too deeply to read"))
            continue
        except ValueError:  # an integer past Python's 4,300-digit conversion limit
            errors.append(
                RowError(number, "(line)", line[:60], "holds a number too long to be a value")
            )
            continue
        if _depth(value) > MAX_JSON_DEPTH:
            errors.append(
                RowError(
                    number,
                    "(line)",
                    line[:60],
                    f"nests JSON more than {MAX_JSON_DEPTH} levels deep; flatten the details",
                )
            )
            continue
        if not isinstance(value, dict):
            errors.append(RowError(number, "(line)", line[:60], "each line must be a JSON object"))
            continue
        for key in value:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        rows.append((number, value))
    if not rows and not errors:
        errors.append(RowError(0, "(file)", "", "the file is empty"))
    return RawFeed("jsonl", columns, rows, errors)
