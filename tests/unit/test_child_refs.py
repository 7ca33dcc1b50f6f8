"""Child references reject every single-character typo and adjacent transposition."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguard.domain.child_ref import (
    ChildRefError,
    child_ref_serial,
    format_child_ref,
    is_valid_child_ref,
)

SERIALS = st.integers(min_value=1, max_value=99_999_999)
ALPHABET = string.digits + string.ascii_uppercase + "-"


def test_format_and_read_back() -> None:
    ref = format_child_ref(1)
    assert ref.startswith("SG-00000001") and len(ref) == 12
    assert is_valid_child_ref(ref)
    assert child_ref_serial(ref) == 1


@pytest.mark.parametrize("bad", ["", "SG-1234567", "XX-000000011", "SG-00000001", "sg-00000001X"])
def test_malformed_references_are_invalid(bad: str) -> None:
    assert not is_valid_child_ref(bad)


def test_out_of_range_serial_is_refused() -> None:
    with pytest.raises(ChildRefError):
        format_child_ref(0)
    with pytest.raises(ChildRefError):
        child_ref_serial("SG-000000010")


@given(SERIALS, st.integers(min_value=0, max_value=11), st.sampled_from(ALPHABET))
def test_every_single_substitution_is_rejected(serial: int, pos: int, ch: str) -> None:
    ref = format_child_ref(serial)
    typo = ref[:pos] + ch + ref[pos + 1 :]
    if typo != ref:
        assert not is_valid_child_ref(typo)


@given(SERIALS, st.integers(min_value=0, max_value=10))
def test_every_adjacent_transposition_is_rejected(serial: int, pos: int) -> None:
    ref = format_child_ref(serial)
    swapped = ref[:pos] + ref[pos + 1] + ref[pos] + ref[pos + 2 :]
    if swapped != ref:
        assert not is_valid_child_ref(swapped)


def test_exhaustively_on_a_sample() -> None:
    for serial in range(1, 100_000_000, 9_876_543):
        ref = format_child_ref(serial)
        for pos in range(3, 12):
            for ch in string.digits + "X":
                typo = ref[:pos] + ch + ref[pos + 1 :]
                assert typo == ref or not is_valid_child_ref(typo)
