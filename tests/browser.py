"""A real headless browser for tests of web pages: Debian's Chromium (apt: chromium; .ci/run
installs it) driven by Playwright for Python, never Playwright's own browser download.

    from tests.browser import browser_page, served   # noqa: F401  (pytest fixtures)

    def test_page(browser_page):
        with served([CLOUDPIN, "sim", "--serve", "0"]) as url:
            browser_page.goto(url)

browser_page: a fresh page in a fresh profile (its own --user-data-dir), closed with the
browser after the test. served(cmd): runs a server command that prints its http://127.0.0.1
address on stdout, yields the address and stops it (SIGINT, then SIGKILL) at the end. A
missing browser fails the test with what to install; it is never skipped.
"""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading

import pytest

CHROMIUM = os.environ.get("CLOUDPIN_CHROMIUM", "/usr/bin/chromium")
# What headless Chromium needs on this machine and in CI (root, no GPU, no network but
# loopback), and nothing that phones home.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def _need_browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail("no Chromium at %s: apt-get install -y chromium chromium-driver (.ci/run "
                    "does), or set CLOUDPIN_CHROMIUM" % CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("Playwright for Python is missing: ./dev env installs requirements.txt")


@contextlib.contextmanager
def chromium():
    """A Playwright Browser on Debian's Chromium with a fresh profile."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="cloudpin-chromium-")
    try:
        with sync_playwright() as pw:
            # A persistent context is how Playwright takes --user-data-dir.
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=list(FLAGS),
                viewport={"width": 1280, "height": 900})
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser_page():
    with chromium() as context:
        page = context.pages[0] if context.pages else context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # tests assert the page threw nothing
        yield page


_URL = re.compile(rb"http://127\.0\.0\.1:(\d+)/")


@contextlib.contextmanager
def served(cmd, cwd=None, ready_s=120, env=None):
    """Run a server that prints its 127.0.0.1 address; yield the address; stop it."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    found = {}
    ready = threading.Event()
    err = bytearray()

    def read_stdout():
        for line in proc.stdout:
            m = _URL.search(line)
            if m and not ready.is_set():
                found["url"] = m.group(0).decode()
                ready.set()

    def read_stderr():
        for line in proc.stderr:
            err.extend(line)

    threads = [threading.Thread(target=t, daemon=True) for t in (read_stdout, read_stderr)]
    for t in threads:
        t.start()
    try:
        if not ready.wait(ready_s) or proc.poll() is not None:
            raise AssertionError("the server did not start: %s" % bytes(err).decode(
                errors="replace")[-2000:])
        yield found["url"]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
        for t in threads:
            t.join(10)
        served.last_stderr = bytes(err).decode(errors="replace")
        served.last_returncode = proc.returncode
