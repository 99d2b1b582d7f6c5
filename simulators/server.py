"""Serve one Flask app with waitress in a background thread, and stop it cleanly.

waitress keeps connections alive (Werkzeug's dev server does not) and is the server
of every simulator. Stopping it takes three things: close every socket from inside
its event loop (so the loop ends), shut the worker threads down, and join the thread.
"""

from __future__ import annotations

import logging
import threading

from waitress import create_server, wasyncore

# waitress warns "Task queue depth is N" for every request that waits for a worker thread:
# under a load that is the queue doing its job, not a fault, and it floods a user's terminal.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


class ServedApp:
    """One WSGI app on ``host:port`` (port 0: any free port, read back in :attr:`port`)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        self.app = app
        self._server = create_server(
            app, host=host, port=port, threads=threads, ident="ketentest",
            clear_untrusted_proxy_headers=True, channel_timeout=30,
        )
        self.host = host
        self.port = int(self._server.effective_port)
        self._thread = threading.Thread(
            target=self._server.run, name=f"waitress:{self.port}", daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> ServedApp:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        server = self._server
        if self._thread.is_alive():
            done = threading.Event()

            def close_all() -> None:
                wasyncore.close_all(server._map)
                done.set()

            try:
                server.trigger.pull_trigger(close_all)
            except OSError:  # a worker pulled the trigger as the loop closed it: already closing
                pass
            done.wait(timeout)
            self._thread.join(timeout)
        else:
            wasyncore.close_all(server._map)
        server.task_dispatcher.shutdown(timeout=timeout)

    def __enter__(self) -> ServedApp:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
