"""The collector is off while any submission runs and back as it was when the last one ends,
however submissions overlap or fail."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from safeguard.ingest.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_off_inside_and_back_after_even_on_error() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_overlapping_submissions_bring_it_back_only_when_the_last_ends() -> None:
    gc.enable()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first ends while the second still runs
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_threads_share_the_count() -> None:
    gc.enable()
    inside, release = threading.Barrier(5), threading.Event()

    def submission() -> None:
        with collector_paused():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=submission) for _ in range(4)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
