"""NHS number validation (modulus 11), as published in the NHS Data Dictionary."""

from __future__ import annotations

from operator import mul

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_nhs_number(value: str) -> str:
    """Drop the spaces and dashes people type inside an NHS number."""
    return value.replace(" ", "").replace("-", "")


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the check digit for nine digits, or None when no valid number can end them."""
    if len(first_nine) != 9:
        raise ValueError(f"nine digits are needed, not {len(first_nine)}")
    total: int = sum(map(mul, map(int, first_nine), _WEIGHTS))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    """True when ``value`` is ten digits whose last digit is the modulus-11 check digit."""
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])
