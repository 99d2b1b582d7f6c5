"""Tasks due later on the clock: they wait for it, keep nobody busy, and run in order."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from simulators.clock import AMSTERDAM, SimulatedClock, WallClock
from simulators.store import Store
from simulators.tasks import Tasks

START = datetime(2016, 10, 28, 9, 0)  # the Friday before winter time begins


@pytest.fixture
def made(tmp_path):
    created = []

    def make(clock):
        done: list[str] = []
        event = threading.Event()
        store = Store(tmp_path / f"t{len(created)}.sqlite3")

        def handler(data):
            done.append(data["naam"])
            event.set()

        tasks = Tasks(store, {"doe": handler}, clock=clock)
        tasks.start()
        created.append((tasks, store))
        return tasks, done, event

    yield make
    for tasks, store in created:
        tasks.stop()
        store.close()


def test_a_task_due_later_waits_for_the_simulated_clock(made):
    clock = SimulatedClock(START)
    tasks, done, _event = made(clock)
    tasks.add("doe", {"naam": "rapport"}, niet_voor=datetime(2016, 11, 2, 9, 0, tzinfo=AMSTERDAM))
    assert tasks.wait_idle(2), "a task due later must not keep the party busy"
    assert done == [] and tasks.pending() == 0 and len(tasks.later()) == 1
    clock.set(datetime(2016, 11, 1, 9, 0))
    assert tasks.wait_idle(2) and done == []
    clock.set(datetime(2016, 11, 2, 9, 0))
    assert tasks.wait_idle(2) and done == ["rapport"]
    assert tasks.later() == []


def test_due_tasks_run_in_the_order_they_fall_due_across_summer_and_winter_time(made):
    clock = SimulatedClock(START)
    tasks, done, _event = made(clock)
    # 30 Oct 2016 02:30 +02:00 (summer) is earlier than 30 Oct 02:10 +01:00 (winter)
    zomer = datetime(2016, 10, 30, 0, 30, tzinfo=AMSTERDAM) + timedelta(hours=2)
    tasks.add("doe", {"naam": "tweede"}, niet_voor=datetime(2016, 10, 31, 9, 0, tzinfo=AMSTERDAM))
    tasks.add("doe", {"naam": "eerste"}, niet_voor=zomer)
    clock.set(datetime(2016, 11, 1, 9, 0))
    assert tasks.wait_idle(2)
    assert done == ["eerste", "tweede"]


def test_on_a_wall_clock_a_task_runs_when_its_moment_comes(made):
    clock = WallClock()
    tasks, done, event = made(clock)
    tasks.add("doe", {"naam": "straks"}, niet_voor=clock.now() + timedelta(milliseconds=200))
    assert done == []
    assert event.wait(3), "the worker did not wake up when the task fell due"
    assert done == ["straks"]


def test_niet_voor_needs_a_clock(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    tasks = Tasks(store, {"doe": lambda data: None})
    with pytest.raises(ValueError, match="clock"):
        tasks.add("doe", {}, niet_voor=datetime(2016, 1, 1, tzinfo=AMSTERDAM))
    store.close()
