"""The bulk writer stores values exactly as SQLAlchemy would, so both paths read back alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from safeguard.store.bulk import _memo, _utc_text

_SQLALCHEMY = sqlite.DATETIME().bind_processor(sqlite.dialect())
assert _SQLALCHEMY is not None


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_naive_times_are_written_as_sqlalchemy_writes_them(moment: datetime) -> None:
    assert _utc_text(moment) == _SQLALCHEMY(moment)


@given(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_zoned_times_are_written_in_utc(moment: datetime, minutes: int) -> None:
    zoned = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert _utc_text(zoned) == _SQLALCHEMY(zoned.astimezone(UTC).replace(tzinfo=None))


def test_memo_converts_each_distinct_value_once() -> None:
    calls: list[int] = []

    def double(value: int) -> int:
        calls.append(value)
        return value * 2

    convert = _memo(double)
    assert [convert(v) for v in (1, 2, 1, 1, 2)] == [2, 4, 2, 2, 4]
    assert calls == [1, 2]
