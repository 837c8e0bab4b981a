"""Closing tickets nudges the dispatcher at most about twice a second per process, never early."""

import pytest

from delivery import tasks


@pytest.fixture
def nudges(monkeypatch, celery_eager_off):
    sent, clock = [], [100.0]
    monkeypatch.setattr(tasks, "nudge", lambda countdown=0: sent.append(countdown))
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tasks, "_queued", {"at": float("-inf"), "sent": float("-inf")})
    return sent, clock


def test_the_first_close_after_a_quiet_second_is_nudged_at_once(nudges):
    sent, _clock = nudges
    tasks.nudge_coalesced(0)
    assert sent == [0]


def test_closes_right_after_share_one_later_nudge(nudges):
    sent, clock = nudges
    tasks.nudge_coalesced(0)
    clock[0] = 100.2  # the dispatch at 100 may have run before this close committed
    tasks.nudge_coalesced(0)
    clock[0] = 100.9  # covered: the nudge queued at 100.2 runs at 101.2
    tasks.nudge_coalesced(0)
    clock[0] = 101.1
    tasks.nudge_coalesced(0)
    assert sent == [0, 1]


def test_a_close_after_the_queued_nudge_ran_gets_its_own(nudges):
    sent, clock = nudges
    tasks.nudge_coalesced(0)
    clock[0] = 100.2
    tasks.nudge_coalesced(0)  # runs at 101.2
    clock[0] = 101.3  # that one may have run before this close committed; a quiet second since
    tasks.nudge_coalesced(0)
    assert sent == [0, 1, 0]


def test_an_earlier_nudge_never_covers_a_later_send_time(nudges):
    sent, _clock = nudges
    tasks.nudge_coalesced(0)
    tasks.nudge_coalesced(30)  # due in 30 s: the nudge at 100 would find nothing due yet
    assert sent == [0, 31]


def test_eager_tasks_are_never_held_back(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks, "nudge", lambda countdown=0: sent.append(countdown))
    tasks.nudge_coalesced(0)
    tasks.nudge_coalesced(0)
    assert sent == [0, 0]


def test_far_future_sends_are_left_to_the_tick(monkeypatch, celery_eager_off):
    sent = []
    monkeypatch.setattr(tasks, "nudge", lambda countdown=0: sent.append(countdown))
    tasks.nudge_coalesced(tasks.MAX_COUNTDOWN + 1)
    assert sent == [tasks.MAX_COUNTDOWN + 1]  # nudge() itself declines it


# --- the real nudge(), with the broker call recorded


@pytest.fixture
def published(monkeypatch, celery_eager_off):
    calls, clock = [], [100.0]
    monkeypatch.setattr(tasks.dispatch, "apply_async", lambda **kw: calls.append(kw["countdown"]))
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tasks, "_queued", {"at": float("-inf"), "sent": float("-inf")})
    return calls, clock, monkeypatch


def test_a_send_due_just_under_the_limit_is_still_nudged(published):
    calls, clock, _mp = published
    tasks.nudge(299.5)  # plain nudge(): queued
    assert calls == [300]
    calls.clear()
    tasks.nudge_coalesced(0)
    clock[0] = 100.2
    tasks.nudge_coalesced(299.6)  # held back a second: ceil(300.6) would be over the limit
    assert calls == [0, 300]


def test_a_failed_publish_does_not_swallow_the_next_closes(published):
    calls, clock, monkeypatch = published

    def down(**kw):
        raise ConnectionError("redis went away")

    monkeypatch.setattr(tasks.dispatch, "apply_async", down)
    tasks.nudge_coalesced(0)  # logged, nothing queued
    monkeypatch.setattr(tasks.dispatch, "apply_async", lambda **kw: calls.append(kw["countdown"]))
    clock[0] = 100.5
    tasks.nudge_coalesced(0)  # broker back: this close should be nudged
    assert calls, "no dispatch queued for the second close; only the beat tick will send it"
