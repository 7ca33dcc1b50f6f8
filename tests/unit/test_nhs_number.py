from hypothesis import given
from hypothesis import strategies as st

from safeguard.domain.nhs import is_valid_nhs_number, nhs_check_digit


def test_published_example_is_valid() -> None:
    assert is_valid_nhs_number("943 476 5919")
    assert is_valid_nhs_number("9434765919")


def test_one_digit_slip_is_invalid() -> None:
    assert not is_valid_nhs_number("9434765918")
    assert not is_valid_nhs_number("943476591")
    assert not is_valid_nhs_number("94347659AB")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_check_digit_makes_a_valid_number(first_nine: str) -> None:
    check = nhs_check_digit(first_nine)
    if check is None:
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(first_nine + str(check))
        others = [d for d in range(10) if d != check]
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in others)
