"""`cloudpin sim --serve [PORT]`: the live hall in a browser, on 127.0.0.1 only.

The standard library's ThreadingHTTPServer; the page is plain HTML and JavaScript
(tools/live/static/, no build step) that polls the state about three times a second:

    GET  /                       the page
    GET  /static/<file>          its script and style
    GET  /api/state?since=SEQ    the hall now (tools.live.hall.LiveHall.state), events after SEQ
    GET  /api/screen/<i>.png     pin i's e-ink glass as the emulated panel shows it
    POST /api/control            {"paused": bool, "speed": N}: play/pause and the pace

The server prints its address on stdout (`serving http://127.0.0.1:PORT/`) and stops on
Ctrl-C (or SIGTERM), ending the simulation with it.
"""

import json
import os
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tools.bench.report import TaskError

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8"}
HOST = "127.0.0.1"


class _Handler(BaseHTTPRequestHandler):
    server_version = "cloudpin-live"
    hall = None  # set on the class made per server

    def log_message(self, fmt, *args):  # quiet: the terminal shows the address and errors
        pass

    def _send(self, status, body, ctype, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, obj, status=HTTPStatus.OK):
        self._send(status, json.dumps(obj).encode(), "application/json")

    def do_GET(self):
        url = urlparse(self.path)
        path = url.path
        if path == "/":
            return self._file("index.html")
        if path.startswith("/static/"):
            return self._file(path[len("/static/"):])
        if path == "/api/state":
            try:
                since = int(parse_qs(url.query).get("since", ["0"])[0])
            except ValueError:
                return self._json({"error": "since is a number"}, HTTPStatus.BAD_REQUEST)
            return self._json(self.hall.state(since))
        if path.startswith("/api/screen/") and path.endswith(".png"):
            try:
                version, png = self.hall.screen_png(int(path[len("/api/screen/"):-4]))
            except (ValueError, IndexError):
                return self._json({"error": "no such pin"}, HTTPStatus.NOT_FOUND)
            return self._send(HTTPStatus.OK, png, "image/png",
                              (("X-Screen-Version", str(version)),))
        return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self):
        if urlparse(self.path).path != "/api/control":
            return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > 4096:
                raise ValueError("too long")
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("a JSON object, please")
            speed = body.get("speed")
            if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int)):
                raise ValueError("speed is a whole number")
            self.hall.control(paused=body.get("paused"), speed=speed)
        except ValueError as exc:
            return self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
        return self._json({"paused": self.hall.paused, "speed": self.hall.speed})

    def _file(self, name):
        if "/" in name or "\\" in name or name.startswith("."):
            return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        path = os.path.join(STATIC, name)
        ctype = TYPES.get(os.path.splitext(name)[1])
        if ctype is None or not os.path.isfile(path):
            return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        with open(path, "rb") as f:
            self._send(HTTPStatus.OK, f.read(), ctype)


def make_server(hall, port):
    """A server for hall on 127.0.0.1:port (0: a free port); not serving yet."""
    handler = type("Handler", (_Handler,), {"hall": hall})
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise TaskError("cannot listen on %s:%d (%s): choose another port with --serve PORT, "
                        "or 0 for any free one" % (HOST, port, exc.strerror or exc)) from None
    server.daemon_threads = True
    return server


def serve(scenario, port, quiet=False, speed=30):
    from tools.live.hall import LiveHall

    hall = LiveHall(scenario, speed=speed)
    server = make_server(hall, port)
    url = "http://%s:%d/" % (HOST, server.server_address[1])
    print("serving %s (scenario '%s', %d pins; Ctrl-C stops)" % (url, scenario["name"],
                                                                  scenario["pins"]), flush=True)
    # Ctrl-C and SIGTERM both stop it, even where the shell started it with SIGINT ignored.
    stop = lambda *a: _stop_from_signal(server)  # noqa: E731
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    hall.start()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.server_close()
        hall.stop()
        if not quiet:
            print("cloudpin sim: stopped", file=sys.stderr, flush=True)
    return 0


def _stop_from_signal(server):
    # shutdown() waits for serve_forever to return: from another thread, not this handler's.
    threading.Thread(target=server.shutdown, daemon=True).start()
