from safeguard.web.throttle import FailureThrottle


def test_failures_block_after_the_limit_and_age_out() -> None:
    now = [0.0]
    throttle = FailureThrottle(limit=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.blocked_for("1.2.3.4") == 0.0
        throttle.failed("1.2.3.4")
    assert throttle.blocked_for("1.2.3.4") == 60.0
    assert throttle.blocked_for("5.6.7.8") == 0.0
    now[0] = 61.0
    assert throttle.blocked_for("1.2.3.4") == 0.0
