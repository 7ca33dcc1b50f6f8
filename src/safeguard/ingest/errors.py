"""Row-level errors a submitting agency can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RowError:
    """What was wrong, where (row and field), with the value and what to do."""

    row: int
    field: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def sentence(self) -> str:
        where = "header" if self.row == 0 else f"row {self.row}"
        shown = f" (value {self.value!r})" if self.value else ""
        return f"{where}, field {self.field!r}{shown}: {self.message}"


class SubmissionRejected(Exception):
    """The whole submission was refused; nothing was written."""

    def __init__(self, errors: list[RowError], filename: str = "") -> None:
        self.errors = errors
        self.filename = filename
        count = len(errors)
        first = errors[0].sentence() if errors else ""
        super().__init__(
            f"submission {filename or ''} rejected with {count} error{'s' if count != 1 else ''};"
            f" nothing was written. First: {first}".replace("  ", " ")
        )
