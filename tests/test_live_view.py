"""`cloudpin sim --serve`: the live view of the simulated hall, in a real headless Chromium
(tests/browser.py). The test starts the server itself on a free port and stops it at the
end; it checks behaviour (what the page shows as the simulation goes), never timings."""

import os
import sys
import urllib.request

from host_sim.paths import REPO_ROOT
from tests.browser import browser_page, served  # noqa: F401  (pytest fixtures)

CLOUDPIN = os.path.join(os.path.dirname(sys.executable), "cloudpin")
PINS = 4
# A picture's fingerprint as the browser decoded it: the sum of its pixels, drawn on a canvas.
PIXELS = """(id) => { const img = document.getElementById(id);
  const c = document.createElement('canvas'); c.width = img.naturalWidth;
  c.height = img.naturalHeight; const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data; let s = 0;
  for (let k = 0; k < d.length; k += 4) s += d[k] * (1 + (k >> 2) % 7); return s; }"""
STATE = "async () => (await fetch('/api/state')).json()"


def test_the_hall_live_in_a_browser(browser_page):  # noqa: F811
    page = browser_page
    cmd = [CLOUDPIN, "sim", "--serve", "0", "--pins", str(PINS), "--hours", "1",
           "--night-hours", "0.75", "--seed", "2"]
    with served(cmd, cwd=REPO_ROOT) as url:
        assert url.startswith("http://127.0.0.1:")
        page.goto(url)
        # the page loads with every pin: a screen each, the emulated panel's picture in it
        page.wait_for_selector("#screen-%d" % (PINS - 1), state="attached")
        assert page.locator("#screens figure.screen").count() == PINS
        page.wait_for_function("() => document.body.dataset.pins === '%d'" % PINS)
        page.wait_for_function("() => [...document.querySelectorAll('#screens img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        assert page.locator("#graph g.node").count() == PINS

        # pause: the virtual clock stands still while paused
        page.click("#play")
        page.wait_for_function("() => document.getElementById('play').textContent === 'Play'")
        paused_at = page.evaluate(STATE)["t"]
        page.wait_for_timeout(700)
        assert page.evaluate(STATE)["t"] == paused_at and page.evaluate(STATE)["paused"]
        before = {i: (page.get_attribute("#screen-%d" % i, "data-version"),
                      page.evaluate(PIXELS, "screen-%d" % i)) for i in range(PINS)}

        # play as fast as it goes: a tap appears in the list as the simulation makes it
        taps_before = page.locator("#taps li.tap").count()
        page.click("#speed-max")
        page.click("#play")
        page.wait_for_function("(n) => document.querySelectorAll('#taps li.tap').length > n",
                               arg=taps_before, timeout=240_000)
        tap = page.locator("#taps li.tap").first
        a, b = int(tap.get_attribute("data-a")), int(tap.get_attribute("data-b"))
        state = page.evaluate(STATE)
        assert [a, b] in [f[:2] for f in state["friendships"]]
        assert state["t"] > paused_at and state["speed"] == 0
        page.wait_for_function("() => document.querySelectorAll('#graph line.edge').length > 0")

        # the tapped pins' screens update: a new refresh of the panel, a new picture shown
        page.wait_for_function(
            "([ids, old]) => ids.some(i => document.getElementById('screen-' + i)"
            ".dataset.version !== old[i])", arg=[[a, b], {str(i): v[0] for i, v in
                                                          before.items()}],
            timeout=240_000)
        page.wait_for_function("() => [...document.querySelectorAll('#screens img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        changed = [i for i in (a, b)
                   if page.get_attribute("#screen-%d" % i, "data-version") != before[i][0]]
        assert any(page.evaluate(PIXELS, "screen-%d" % i) != before[i][1] for i in changed)
        # the picture is the panel's: the server's PNG for that pin, as served
        with urllib.request.urlopen(url + "api/screen/%d.png" % changed[0], timeout=30) as r:
            assert r.headers["Content-Type"] == "image/png" and r.read(8) == b"\x89PNG\r\n\x1a\n"
        assert page.js_errors == []
    assert served.last_returncode == 0, served.last_stderr
    assert "Traceback" not in served.last_stderr


def test_the_server_refuses_bad_requests():
    import json

    with served([CLOUDPIN, "sim", "--serve", "0", "--pins", "2", "--hours", "0.2",
                 "--night-hours", "0.75"], cwd=REPO_ROOT) as url:
        assert url.startswith("http://127.0.0.1:")  # loopback only
        def post(body):
            req = urllib.request.Request(url + "api/control", data=body, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as exc:
                return exc.code, json.loads(exc.read())

        assert post(b'{"speed": 7}')[0] == 400
        assert post(b'{"speed": "fast"}')[0] == 400
        assert post(b"[1]")[0] == 400
        assert post(b'{"paused": true, "speed": 120}') == (200, {"paused": True, "speed": 120})
        for path in ("static/../server.py", "api/screen/9.png", "nothing"):
            try:
                urllib.request.urlopen(url + path, timeout=30)
                raise AssertionError(path)
            except urllib.error.HTTPError as exc:
                assert exc.code == 404
    assert served.last_returncode == 0
