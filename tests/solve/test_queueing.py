"""Erlang-C queue predictions against textbook values."""

import math

import pytest

from planner.solve.queueing import erlang_c, max_arrival_rate, mean_wait_min


def test_erlang_c_textbook_value() -> None:
    # c = 2, a = 1 Erlang: P(wait) = 1/3 (standard worked example)
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)


def test_single_server_is_mm1() -> None:
    lam, mu = 0.8, 1.0
    assert mean_wait_min(1, lam, mu) == pytest.approx(lam / (mu * (mu - lam)))


def test_overload_is_infinite() -> None:
    assert math.isinf(mean_wait_min(3, 3.0, 1.0))


def test_max_arrival_rate_meets_the_limit() -> None:
    for c in (1, 2, 5, 10):
        lam = max_arrival_rate(c, 1.0, 20.0)
        assert mean_wait_min(c, lam, 1.0) <= 20.0 + 1e-6
        assert mean_wait_min(c, lam + 1e-3, 1.0) > 20.0
        assert lam < c
    # pooling: the safe utilisation grows with the number of desks
    assert max_arrival_rate(8, 1.0, 20.0) / 8 > max_arrival_rate(1, 1.0, 20.0)
