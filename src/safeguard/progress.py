"""One look for progress across the CLI: a live bar or spinner on a terminal, plain dated lines
when the output is a file or a pipe (CI logs, cron), so long work always shows it is moving."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ProgressReporter(Protocol):
    """What the CLI asks of a progress display (rich's Progress and the plain one)."""

    def __enter__(self) -> ProgressReporter: ...
    def __exit__(self, *exc: Any) -> None: ...
    def add_task(self, description: str, *, total: float | None = ...) -> Any: ...
    def advance(self, task_id: Any, advance: float = ...) -> None: ...
    def update(
        self,
        task_id: Any,
        *,
        description: str | None = ...,
        completed: float | None = ...,
        total: float | None = ...,
    ) -> None: ...
    def stop(self) -> None: ...


class PlainProgress:
    """The part of rich's Progress the CLI uses, printing a line per tenth of the work (or per
    new description) instead of redrawing a bar that a log file cannot show."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._started = time.monotonic()
        self._tasks: dict[int, dict[str, Any]] = {}

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_task(self, description: str, *, total: float | None = None) -> int:
        task_id = len(self._tasks)
        self._tasks[task_id] = {"description": description, "total": total, "done": 0.0,
                                "shown": -1, "printed": None}  # fmt: skip
        self._line(task_id)
        return task_id

    def advance(self, task_id: int, advance: float = 1) -> None:
        self.update(task_id, completed=self._tasks[task_id]["done"] + advance)

    def update(
        self,
        task_id: int,
        *,
        description: str | None = None,
        completed: float | None = None,
        total: float | None = None,
    ) -> None:
        task = self._tasks[task_id]
        if total is not None:
            task["total"] = total
        if completed is not None:
            task["done"] = completed
        if description is not None and description != task["description"]:
            task["description"] = description
            self._line(task_id)
            return
        if task["total"]:
            tenth = int(10 * task["done"] / task["total"])
            if tenth > task["shown"]:
                self._line(task_id)

    def stop(self) -> None:
        for task_id, task in self._tasks.items():
            if task["total"] and task["printed"] != task["done"]:
                self._line(task_id)
        self._tasks.clear()

    def _line(self, task_id: int) -> None:
        task = self._tasks[task_id]
        elapsed = time.monotonic() - self._started
        done = f" {task['done']:,.0f}/{task['total']:,.0f}" if task["total"] else ""
        self._console.print(f"[{elapsed:7.1f} s] {task['description']}{done}", highlight=False)
        task["printed"] = task["done"]
        if task["total"]:
            task["shown"] = int(10 * task["done"] / task["total"])


def progress_bar(console: Console | None = None) -> ProgressReporter:
    """A live bar on a terminal, plain lines otherwise (on standard output, as rich's default)."""
    console = console or Console()
    if not console.is_terminal:
        return PlainProgress(console)
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
        console=console,
    )


@contextmanager
def status_lines(console: Console, first: str) -> Iterator[Callable[[str], None]]:
    """A spinner whose text the work updates on a terminal; a dated line per message otherwise."""
    if console.is_terminal:
        with console.status(first) as status:
            yield lambda text: status.update(text)
        return
    started = time.monotonic()

    def line(text: str) -> None:
        console.print(f"[{time.monotonic() - started:7.1f} s] {text}", highlight=False)

    line(first)
    yield line
