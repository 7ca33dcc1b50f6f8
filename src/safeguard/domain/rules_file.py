"""Reading a rules or settings file (YAML) so that any fault becomes one sentence naming the
file and the place: the line and column of a syntax error, the key of a missing or bad value."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml


class _PlainLoader(yaml.SafeLoader):
    """Safe YAML without aliases: an alias can make a value contain itself, which no settings
    need and every reader of the settings would then loop on."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "an alias (*name) is not allowed here; write the value out", mark
            )
        return super().compose_node(parent, index)


def parse_yaml_mapping(
    text: str, name: str, error: type[ValueError] = ValueError
) -> dict[str, Any]:
    """The document's top-level mapping, or ``error`` saying where the file is broken."""
    try:
        doc = yaml.load(text, Loader=_PlainLoader)  # noqa: S506 (a SafeLoader)
    except RecursionError:
        raise error(f"{name}: nests values too deeply to read; correct the file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{name}{where}: not valid YAML ({problem}); correct the file") from None
    if not isinstance(doc, dict):
        raise error(
            f"{name}: expected a mapping of settings at the top level, not {type(doc).__name__}"
        )
    return doc


@contextmanager
def reading(name: str, error: type[ValueError] = ValueError) -> Iterator[None]:
    """Turn a missing key or a value of the wrong shape, met while building the settings, into
    ``error`` naming the file and the key (the loaders' own errors pass through unchanged)."""
    try:
        yield
    except error as exc:
        if name in str(exc):
            raise
        raise error(f"{name}: {exc}") from None
    except KeyError as exc:
        raise error(f"{name}: the key {exc.args[0]!r} is missing; add it") from None
    except (TypeError, AttributeError, ValueError, OverflowError) as exc:
        raise error(f"{name}: a value has the wrong type or form ({exc}); correct it") from None
