"""Run ``gongsheng worker`` as a child process beside the web server (``gongsheng serve``).

A child process rather than a thread: jobs are CPU-bound NumPy work that would hold the GIL
the web threads need, the worker's signal handling belongs to a main thread, a crash in a job
cannot take the web server down, and it is the same topology as a production deployment
(workers as separate processes, on any machine). The child gets its own session, so Ctrl+C
in the terminal reaches only ``serve``, which then asks the worker to stop (SIGTERM: the
running job goes back to the queue at its next progress step) and kills it after a grace
period; a job cut off that way is resumed from its lease when a worker runs again.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence


class WorkerProcess:
    """Start, watch (restart after a crash, at most ``max_restarts`` times) and stop."""

    def __init__(
        self,
        args: Sequence[str] = (),
        *,
        grace: float = 15.0,
        max_restarts: int = 5,
        out=None,
    ) -> None:
        self.command = [sys.executable, "-m", "gongsheng.cli", "worker", *args]
        self.grace = grace
        self.max_restarts = max_restarts
        self.out = out or sys.stderr
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watch: threading.Thread | None = None
        self.restarts = 0

    def start(self) -> WorkerProcess:
        self.process = subprocess.Popen(self.command, start_new_session=True)
        self._watch = threading.Thread(target=self._watch_loop, name="worker-watch", daemon=True)
        self._watch.start()
        return self

    def _watch_loop(self) -> None:
        while not self._stopping.is_set():
            proc = self.process
            if proc is None:
                return
            code = proc.wait()
            if self._stopping.is_set():
                return
            if self.restarts >= self.max_restarts:
                self.out.write(f"[gongsheng] the worker stopped ({code}); not restarting it\n")
                return
            self.restarts += 1
            self.out.write(f"[gongsheng] the worker stopped ({code}); starting it again\n")
            time.sleep(min(30, 2**self.restarts))
            if not self._stopping.is_set():
                self.process = subprocess.Popen(self.command, start_new_session=True)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def stop(self) -> int | None:
        """Ask the worker to stop; kill it if it has not after ``grace`` seconds."""
        self._stopping.set()
        proc = self.process
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
