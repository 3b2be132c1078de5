"""The README's first command: `bin/portal` migrates, loads the demo data, prints the URL and
the logins, serves the portal with a Celery worker beside it, and stops both on a signal."""

from __future__ import annotations

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


@pytest.mark.worker
def test_portal_command_serves_demo_logins_and_stops_cleanly(tmp_path):
    port = _free_port()
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
    log = tmp_path / "portal.log"
    with log.open("w") as out:
        portal = subprocess.Popen(["bin/portal"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the portal never answered:\n{log.read_text()}")
        printed = log.read_text()
        assert f"Portal:  {base}/" in printed
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

        children = _children_of(portal.pid)
        assert len(children) == 2, "a web server and a Celery worker"
    finally:
        portal.send_signal(signal.SIGTERM)
        portal.wait(timeout=60)
    time.sleep(1)
    assert not [pid for pid in children if _alive(pid)], "Ctrl-C / SIGTERM stops both"
