"""Starting `python -m bot serve` (the Procfile's command) for end-to-end tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.support.signed import BOT_TOKEN, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base: str
    log_path: Path

    @property
    def events_url(self) -> str:
        return self.base + "/slack/events"

    def signal(self, sig: int) -> None:
        """Signal gunicorn's master and its workers (the whole process group)."""
        os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.signal(signal.SIGKILL)
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text()


def start_server(
    api_url: str,
    workdir: Path,
    *,
    database_url: str | None = None,
    token: bool = True,
    signing_secret: bool = True,
    cwd: Path = ROOT,
    **env: str,
) -> Server:
    """`python -m bot serve` from `cwd` (where a .env file would be read); `token=False` and
    `signing_secret=False` leave SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET out of the environment."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "QUERY_LOG"))}
    if cwd != ROOT:
        full_env["PYTHONPATH"] = str(ROOT)  # this checkout's code, wherever it runs from
    full_env.update(
        {
            "SLACK_API_URL": api_url,
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bot.sqlite3'}",
        }
    )
    if token:
        full_env["SLACK_BOT_TOKEN"] = BOT_TOKEN
    if signing_secret:
        full_env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
    full_env.update(env)
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"serve-{port}.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve"],
        cwd=cwd,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("server exited: " + log_path.read_text())
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return Server(process, base, log_path)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("server did not become ready: " + log_path.read_text())
