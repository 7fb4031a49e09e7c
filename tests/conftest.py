"""pytest options shared by the suite.

--pin PORT runs the hardware-in-loop tests (tests/test_tools_hil.py) against a real pin on
PORT (deploy it first: cloudpin deploy --port PORT --board ...). Without it they run against
the MicroPython unix port on a pseudo-terminal (host_sim.unixport.pty_pin), through the same mpremote
path.
"""

import pytest

# Importing host_sim first makes CPython look like MicroPython (micropython, framebuf,
# time.ticks_*, asyncio.sleep_ms) and puts firmware/ on the path, so tests import `cloudpin`
# exactly as the pin does.
import host_sim  # noqa: F401


def pytest_addoption(parser):
    parser.addoption("--pin", metavar="PORT", default=None,
                     help="run HIL tests against the real pin on PORT instead of the unix port")


@pytest.fixture(scope="session")
def pin_target(request, tmp_path_factory):
    """(port, air_dir) of a deployed pin: the real one from --pin (air_dir None: its adverts
    go over the real air), else a unix-port pin (adverts reach bleak through air_dir)."""
    port = request.config.getoption("--pin")
    if port:
        yield port, None
        return
    from host_sim.unixport.pty_pin import UnixPin
    from tools.device import deploy

    root = tmp_path_factory.mktemp("unixpin")
    with UnixPin(str(root)) as pin:
        deploy.deploy(pin.port, deploy.load_board("devkit-breakout"),
                      deploy.load_profile(name="Test Wearer"), allow_unix=True,
                      log=lambda message: None)
        yield pin.port, pin.air_dir


@pytest.fixture(scope="session")
def pin_port(pin_target):
    return pin_target[0]


@pytest.fixture(scope="session")
def pin_air(pin_target):
    return pin_target[1]


@pytest.fixture(scope="session")
def on_real_pin(request):
    return bool(request.config.getoption("--pin"))
