"""Worker processes for fault tests, forked from the test process (safeguard is already
imported, so a worker starts in milliseconds instead of seconds) and killed with SIGKILL."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from safeguard.bootstrap import bootstrap
from safeguard.config import Settings
from safeguard.ingest.files import CLI_SUBMITTER

CONTEXT = multiprocessing.get_context("fork")


@dataclass
class Worker:
    """A forked process and the stages it has reported so far."""

    process: Any
    inbox: Connection
    stages: list[str] = field(default_factory=list)

    def read(self, timeout: float = 0.0) -> None:
        while self.inbox.poll(timeout):
            try:
                self.stages.append(self.inbox.recv())
            except EOFError:
                return
            timeout = 0.0

    def wait_for(self, stage: str, timeout: float = 120.0) -> None:
        end = time.monotonic() + timeout
        while not any(s.startswith(stage) for s in self.stages):
            if time.monotonic() > end or not self.process.is_alive() and not self.inbox.poll():
                raise AssertionError(f"worker never reached {stage!r}: {self.stages}")
            self.read(0.02)

    def kill(self) -> bool:
        """SIGKILL the worker; False when it had already finished its work cleanly."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(10)
        self.read()
        if self.process.exitcode == 0 and any(s.startswith("done") for s in self.stages):
            return False
        assert self.process.exitcode == -signal.SIGKILL, (self.process.exitcode, self.stages)
        return True

    def finish(self, timeout: float = 120.0) -> list[str]:
        end = time.monotonic() + timeout
        while self.process.is_alive() and time.monotonic() < end:
            self.read(0.05)
        if self.process.is_alive():
            self.kill()
            raise AssertionError(f"worker hung (killed after {timeout:.0f} s): {self.stages}")
        self.process.join()
        self.read()
        assert self.process.exitcode == 0, self.stages
        return self.stages


def start(target: Callable[..., None], *args: Any) -> Worker:
    inbox, outbox = CONTEXT.Pipe(duplex=False)
    process = CONTEXT.Process(target=_run, args=(target, outbox, *args), daemon=True)
    # The child must never garbage-collect what it inherited: after the browser tests the
    # test process holds greenlets and event-loop objects that segfault when traversed in a
    # fork. Frozen objects are skipped by the collector, in the parent and the child.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
    outbox.close()
    return Worker(process, inbox)


def _run(target: Callable[..., None], outbox: Connection, *args: Any) -> None:
    gc.freeze()
    try:
        target(outbox.send, *args)
    except BaseException as exc:  # reported to the test, which fails with it
        outbox.send(f"error {type(exc).__name__}: {exc}")
        raise


def ingest(say: Callable[[str], None], url: str, path: str, agency: str, barrier: Any) -> None:
    """Submit one file as `safeguard ingest` does, reporting each stage."""
    platform = bootstrap(Settings(database_url=url, environment="test"))
    if barrier is not None:
        barrier.wait(60)
    with open(path, "rb") as fh:
        content = fh.read()
    result = platform.ingest.submit(
        content,
        os.path.basename(path),
        agency,
        CLI_SUBMITTER.for_agency(agency),
        progress=lambda stage, _d, _t: say(stage),
    )
    say(f"done new={result.new_records} duplicate={result.duplicate}")
    platform.close()


def link(say: Callable[[str], None], url: str) -> None:
    """Re-link the whole store, as `safeguard identity link` does."""
    platform = bootstrap(Settings(database_url=url, environment="test"))
    say("linking")
    summary = platform.identity.link(CLI_SUBMITTER.operator(), progress=say)
    say(f"done {summary.records} {summary.references}")
    platform.close()
