"""The README's first command: `bin/portal` migrates, loads the demo data, prints the URL and
the logins, serves the portal with a Celery worker beside it, and stops both on a signal."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from core.demo import DEMO_PASSWORD, DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return bool(state.strip()) and not state.startswith("Z")


def _as_from_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(tmp_path, port: int, name: str) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        "PORTAL_PORT": str(port),
        "MCPORTAL_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "CELERY_RESULT_BACKEND": "",
        "PUBLIC_BASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "mcportal.settings",
    }
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:
        # Its own session, so a failed test can stop everything it started (_kill_all).
        # Ctrl-C as from a terminal: SIGINT at its default. A test process may have set it to
        # "ignore" (an earlier test on the same xdist worker did in CI), and a shell started with
        # SIGINT ignored cannot trap it: bin/portal then never hears the signal.
        portal = subprocess.Popen(
            ["bin/portal"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_as_from_a_terminal,
        )
    return portal, log


def _kill_all(portal: subprocess.Popen) -> None:
    """After a failure: SIGKILL bin/portal's process group and the worker's (it leads its own, setsid),
    so no web server or worker outlives the test."""
    _kill_all_groups([portal.pid, *_children_of(portal.pid)])
    portal.wait(timeout=10)


def _kill_all_groups(pids: list[int]) -> None:
    for pid in pids:
        for kill in (os.killpg, os.kill):  # the process group it leads, else the process itself
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)


def _wait_until_serving(portal: subprocess.Popen, log: Path, base: str) -> None:
    # Generous: the first run migrates and issues the demo credentials on a shared, loaded machine.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/", timeout=2).status_code == 200 and len(_children_of(portal.pid)) == 2:
                return
        except httpx.TransportError:
            pass
        if portal.poll() is not None:
            break
        time.sleep(0.5)
    _kill_all(portal)
    pytest.fail(f"the portal never answered:\n{log.read_text()}")


def _what_was_left(groups: list[int], log: Path | None) -> str:
    """For a failure message: the processes still running in the command's process groups (its
    own, and the worker's) and the end of the command's output."""
    ps = subprocess.run(["ps", "-eo", "pid,pgid,stat,etime,args"], capture_output=True, text=True, check=False)
    rows = ps.stdout.splitlines()
    kept = rows[:1] + [row for row in rows[1:] if len(row.split()) > 1 and int(row.split()[1]) in groups]
    tail = "\n".join(log.read_text().splitlines()[-15:]) if log is not None and log.exists() else ""
    return "\n" + "\n".join(kept) + f"\n--- the end of its output ---\n{tail}"


def _stop_within_10_seconds(portal: subprocess.Popen, sig: signal.Signals, log: Path | None = None) -> None:
    children = _children_of(portal.pid)
    assert len(children) == 2, "a web server and a Celery worker"
    sent = time.monotonic()
    portal.send_signal(sig)
    try:
        # Waits up to 20 s so that a slow stop is reported with its time (and cleaned up); the
        # requirement asserted below is 10 s (issue 17).
        portal.wait(timeout=20)
    except subprocess.TimeoutExpired:
        report = _what_was_left([portal.pid, *children], log)
        _kill_all(portal)
        pytest.fail(f"bin/portal still running 20 s after {sig.name}:{report}")
    # Every process it started is gone too (the worker's pool and beat processes with it).
    while [pid for pid in children if _alive(pid)] and time.monotonic() - sent < 20:
        time.sleep(0.1)
    stopped_after = time.monotonic() - sent
    left = [pid for pid in children if _alive(pid)]
    if left:
        _kill_all_groups(left)
    assert not left, f"{sig.name} stops the web server and the worker"
    assert stopped_after < 10, f"{sig.name}: stopped after {stopped_after:.1f} s"


@pytest.mark.worker
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="bin/portal always runs on its embedded SQLite, whatever the suite's database: once in CI (decision 0191)",
)
def test_portal_command_serves_demo_logins_and_stops_cleanly(tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    portal, log = _start(tmp_path, port, "first")
    try:
        _wait_until_serving(portal, log, base)
        printed = log.read_text()
        assert f"Portal:  {base}/" in printed
        assert "PORTAL_PORT" in printed  # how to move it to another port
        for demo in DEMO_USERS:
            assert demo.email in printed
        assert DEMO_PASSWORD in printed
        # The demo credential's verification URL is on this portal (R-CR-3), and it verifies.
        verify_url = re.search(r"Demo credential UNIMAS-MC-\d{4}-\d{6}: (\S+)", printed).group(1)
        assert verify_url.startswith(f"{base}/verify/")
        verdict = httpx.get(verify_url, timeout=30)
        assert verdict.status_code == 200 and "Valid credential" in verdict.text

        for demo in DEMO_USERS:
            with httpx.Client(base_url=base, timeout=10) as browser:
                page = browser.get("/accounts/login/")
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                response = browser.post(
                    "/accounts/login/",
                    data={"csrfmiddlewaretoken": token, "username": demo.email, "password": DEMO_PASSWORD},
                    headers={"Referer": f"{base}/accounts/login/"},
                )
                assert response.status_code == 302, demo.email
                home = browser.get(response.headers["location"])
                assert f'data-role="{demo.role.value}"' in home.text, demo.email
    finally:
        if portal.poll() is None:
            _stop_within_10_seconds(portal, signal.SIGTERM, log)
    # No misleading warnings on a first run: not kombu's "No hostname was supplied" (the
    # filesystem broker has no host), not the development server's production banner.
    worker_log = (tmp_path / "var" / "log" / "celery.log").read_text()
    for text in (log.read_text(), worker_log):
        assert "No hostname was supplied" not in text
    assert "WARNING" not in log.read_text()

    # Ctrl-C (SIGINT) stops it too; the second start reuses the migrated, seeded folder.
    portal, log = _start(tmp_path, port, "second")
    try:
        _wait_until_serving(portal, log, base)
    finally:
        if portal.poll() is None:
            _stop_within_10_seconds(portal, signal.SIGINT, log)
