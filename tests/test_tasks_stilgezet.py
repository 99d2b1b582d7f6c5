"""A reset stops the task worker while it empties the store: the task that was running
finishes first (its side effect before the reset returns, not in the next scenario), and
no open task starts until the block ends."""

from __future__ import annotations

import threading
import time

from simulators.store import Store
from simulators.tasks import Tasks


def test_stilgezet_waits_for_the_running_task_and_starts_nothing_new(tmp_path):
    store = Store(tmp_path / "t.sqlite3")
    begonnen, doorgaan = threading.Event(), threading.Event()
    gedaan: list[str] = []

    def handler(data):
        if data["naam"] == "traag":
            begonnen.set()
            doorgaan.wait(5)
        gedaan.append(data["naam"])

    tasks = Tasks(store, {"doe": handler})
    tasks.start()
    try:
        tasks.add("doe", {"naam": "traag"})
        assert begonnen.wait(5), "the slow task did not start"
        threading.Timer(0.3, doorgaan.set).start()
        start = time.monotonic()
        with tasks.stilgezet(5) as klaar:
            waited = time.monotonic() - start
            assert klaar and gedaan == ["traag"], "the running task finished before the block"
            assert waited >= 0.25, f"stilgezet returned after {waited:.2f} s, before the task ended"
            tasks.add("doe", {"naam": "nieuw"})
            time.sleep(0.3)
            assert gedaan == ["traag"], "a task started while the worker was stopped"
        assert tasks.wait_idle(5) and gedaan == ["traag", "nieuw"], "the worker runs again after the block"
    finally:
        tasks.stop()
        store.close()


def test_stilgezet_gives_up_after_its_timeout(tmp_path):
    store = Store(tmp_path / "t.sqlite3")
    doorgaan = threading.Event()
    tasks = Tasks(store, {"doe": lambda data: doorgaan.wait(5)})
    tasks.start()
    try:
        tasks.add("doe", {})
        time.sleep(0.1)
        with tasks.stilgezet(0.2) as klaar:
            assert not klaar, "a task that outlives the timeout is reported, not waited for forever"
    finally:
        doorgaan.set()
        tasks.stop()
        store.close()
