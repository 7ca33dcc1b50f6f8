"""Reference docs are generated from the code; these fail when someone forgot to regenerate."""

from pathlib import Path

from safeguard.docs_gen import cli_reference, command_names, settings_reference

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text() == cli_reference(), "run scripts/gen-docs"


def test_settings_reference_is_current() -> None:
    assert (DOCS / "settings.md").read_text() == settings_reference(), "run scripts/gen-docs"


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    for name in command_names():
        assert f"`safeguard {name}`" in text, f"safeguard {name} is missing from docs/cli.md"
