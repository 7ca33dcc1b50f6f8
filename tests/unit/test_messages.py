"""The after-write bus: handlers in subscription order, errors reach the publisher."""

from __future__ import annotations

import pytest

from safeguard.domain.messages import MessageBus, NoticesRaised, PersonsChanged


def test_handlers_run_in_the_order_they_were_subscribed_and_only_for_their_type() -> None:
    bus, seen = MessageBus(), []
    bus.subscribe(NoticesRaised, lambda m: seen.append(("first", m.count)))
    bus.subscribe(NoticesRaised, lambda m: seen.append(("second", m.count)))
    bus.subscribe(PersonsChanged, lambda _m: seen.append(("persons", 0)))
    bus.publish(NoticesRaised(3))
    assert seen == [("first", 3), ("second", 3)]


def test_a_message_nobody_subscribed_to_is_dropped_and_a_failing_handler_stops_the_rest() -> None:
    bus, seen = MessageBus(), []
    bus.publish(PersonsChanged())

    def fails(_m: PersonsChanged) -> None:
        raise RuntimeError("handler failed")

    bus.subscribe(PersonsChanged, fails)
    bus.subscribe(PersonsChanged, lambda _m: seen.append("after"))
    with pytest.raises(RuntimeError, match="handler failed"):
        bus.publish(PersonsChanged())
    assert seen == []
