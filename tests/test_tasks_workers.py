"""Several task workers: tasks of different kinds run side by side, tasks of one kind never
do, and keep their order; a reset's standstill waits for every running task; the kinds a party
names first go before other due work."""

from __future__ import annotations

import threading

from simulators.store import Store
from simulators.tasks import Tasks


def test_workers_run_two_kinds_side_by_side(tmp_path):
    """A task of kind 'wacht' finishes only once a task of kind 'start' has begun: with one
    worker the first would wait in vain, with two both finish."""
    begonnen = threading.Event()
    uitkomst: list[str] = []

    def wacht(_data):
        uitkomst.append("gezien" if begonnen.wait(5) else "niet gezien")

    handlers = {"wacht": wacht, "start": lambda _d: begonnen.set()}
    tasks = Tasks(Store(tmp_path / "t.sqlite3"), handlers, workers=2)
    tasks.start()
    try:
        tasks.add("wacht", {})
        tasks.add("start", {})
        assert tasks.wait_idle(10)
        assert uitkomst == ["gezien"], "the second kind did not start while the first was running"
    finally:
        tasks.stop()


def test_workers_never_run_one_kind_twice_at_once_and_keep_its_order(tmp_path):
    bezig, gezien = set(), []
    lock = threading.Lock()
    tegelijk: list[int] = []

    def doe(data):
        with lock:
            bezig.add(data["n"])
            tegelijk.append(len(bezig))
        threading.Event().wait(0.002)  # long enough for another worker to try this kind
        with lock:
            bezig.discard(data["n"])
            gezien.append(data["n"])

    tasks = Tasks(Store(tmp_path / "t.sqlite3"), {"doe": doe, "ander": lambda _d: None}, workers=4)
    tasks.start()
    try:
        for n in range(40):
            tasks.add("doe", {"n": n})
            tasks.add("ander", {})
        assert tasks.wait_idle(20)
    finally:
        tasks.stop()
    assert gezien == list(range(40)), "tasks of one kind kept their order"
    assert max(tegelijk) == 1, "two tasks of one kind ran at once"


def test_workers_stilgezet_waits_for_every_running_task(tmp_path):
    begonnen = [threading.Event(), threading.Event()]
    doorgaan = threading.Event()
    gedaan: list[str] = []

    def maker(index: int, naam: str):
        def handler(_data):
            begonnen[index].set()
            doorgaan.wait(5)
            gedaan.append(naam)
        return handler

    tasks = Tasks(Store(tmp_path / "t.sqlite3"), {"a": maker(0, "a"), "b": maker(1, "b")}, workers=2)
    tasks.start()
    try:
        tasks.add("a", {})
        tasks.add("b", {})
        assert all(event.wait(5) for event in begonnen), "both kinds started side by side"
        threading.Timer(0.2, doorgaan.set).start()
        with tasks.stilgezet(5) as klaar:
            assert klaar and sorted(gedaan) == ["a", "b"], "the standstill waited for both running tasks"
    finally:
        tasks.stop()


def test_the_kinds_named_first_go_before_other_due_work(tmp_path):
    """CBS draws reports (``teken``), each adding the task that places it (``plaats``): with
    ``plaats`` first, each report is placed before the next is drawn, not after all of them."""
    gedaan: list[str] = []
    tasks: Tasks

    def teken(data):
        gedaan.append(f"teken {data['n']}")
        tasks.add("plaats", {"n": data["n"]})

    def plaats(data):
        gedaan.append(f"plaats {data['n']}")

    for first, expected in (
            (("plaats",), ["teken 0", "plaats 0", "teken 1", "plaats 1", "teken 2", "plaats 2"]),
            ((), ["teken 0", "teken 1", "teken 2", "plaats 0", "plaats 1", "plaats 2"])):
        gedaan.clear()
        tasks = Tasks(Store(tmp_path / f"t{len(first)}.sqlite3"), {"teken": teken, "plaats": plaats},
                      first=first)
        with tasks.store.transaction() as db:  # all three due before the worker looks
            for n in range(3):
                tasks.add("teken", {"n": n}, db)
        tasks.start()
        try:
            assert tasks.wait_idle(10)
        finally:
            tasks.stop()
        assert gedaan == expected, f"first={first}"
