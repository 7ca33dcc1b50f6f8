"""Every rules and settings file under fuzz: a damaged file is accepted or refused with one
error naming the file and the place (line for broken YAML, key for a bad value)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.analytics.linkage_model import LinkageSettingsError, parse_linkage_settings
from safeguard.crime import rules as crime_rules
from safeguard.domain.codes import load_code_lists, read_data_csv
from safeguard.domain.obligations import ObligationError, load_obligations
from safeguard.licensing.settings import LicensingSettingsError, parse_settings_text
from safeguard.network import rules as network_rules
from safeguard.risk import rules as risk_rules

CODES = load_code_lists()


def _text(name: str) -> str:
    return resources.files("safeguard.data").joinpath(name).read_text("utf-8")


WEIGHTS = {r["code"]: float(r["days"]) for r in read_data_csv("harm_weights.csv")}
LOADERS: dict[str, tuple[Callable[[str], object], type[ValueError]]] = {
    "linkage.yaml": (parse_linkage_settings, LinkageSettingsError),
    "licensing.yaml": (parse_settings_text, LicensingSettingsError),
    "risk_indicators.yaml": (
        lambda t: risk_rules.parse_rules_text(t, _text("risk_rules.yaml")),
        risk_rules.RiskRulesError,
    ),
    "risk_rules.yaml": (
        lambda t: risk_rules.parse_rules_text(_text("risk_indicators.yaml"), t),
        risk_rules.RiskRulesError,
    ),
    "network_rules.yaml": (
        lambda t: network_rules.parse_rules_text(t, WEIGHTS),
        network_rules.NetworkRulesError,
    ),
    "crime_rules.yaml": (
        lambda t: crime_rules.parse_rules_text(t, CODES),
        crime_rules.CrimeRulesError,
    ),
    "sharing_obligations.yaml": (
        lambda t: load_obligations(CODES, t),
        ObligationError,
    ),
}
ODD_VALUES = [
    "", "x", "[1, 2]", "{a: 1}", "-1", "0", "1e400", ".nan", "null", "true", "'unterminated",
    "!!python/object/apply:os.system ['true']", "&a [*a]", "*nowhere", "\t", "{", "- - -",
    "2024-01-01", "99999999999999999999999", "[[[]]]", "'\\x00'", "héllo",
]  # fmt: skip


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 6))
        line = lines[at]
        if op == 0:
            del lines[at]
        elif op == 1 and ":" in line:
            key = line.split(":", 1)[0]
            lines[at] = f"{key}: {draw(st.sampled_from(ODD_VALUES))}"
        elif op == 2:
            lines.insert(at, line)
        elif op == 3:
            lines[at] = draw(st.sampled_from(["  ", " ", ""])) + line.lstrip()
        elif op == 4:
            lines.insert(at, draw(st.text(max_size=20)))
        elif op == 5:
            lines = lines[:at]
        else:
            lines[at] = line.replace("-", draw(st.sampled_from(["", "?", ":", "- -"])), 1)
    if draw(st.integers(0, 20)) == 0:
        return draw(st.text(max_size=80))
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_the_shipped_file_loads(name: str) -> None:
    parse, _error = LOADERS[name]
    assert parse(_text(name)) is not None


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_damaged_file_is_loaded_or_refused_naming_the_file(name: str) -> None:
    parse, error = LOADERS[name]
    stem = name.removesuffix(".yaml")

    @settings(max_examples=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
    @given(damaged(_text(name)))
    def check(text: str) -> None:
        try:
            parse(text)
        except error as exc:
            message = str(exc)
            assert stem in message, message
            assert "Traceback" not in message and "\n" not in message.strip(), message

    check()


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_broken_yaml_names_the_line(name: str) -> None:
    parse, error = LOADERS[name]
    lines = _text(name).splitlines()
    lines.insert(3, "key: [unclosed")
    with pytest.raises(error, match=r"line \d+, column \d+"):
        parse("\n".join(lines))


def test_a_missing_key_is_named() -> None:
    text = _text("linkage.yaml").replace("join_probability", "join_probabilty")
    with pytest.raises(LinkageSettingsError, match="linkage.yaml: the key 'join_probability'"):
        parse_linkage_settings(text)
