# Press patterns through PressClassifier; both runtimes print the same events.
from cloudpin.buttons import DOUBLE, LONG, SHORT, PressClassifier

NAMES = {SHORT: "short", DOUBLE: "double", LONG: "long"}


def play(edges, double=True, until=3000):
    """edges: [(ms, pressed)]; polled every 10 ms like the service."""
    c = PressClassifier(double)
    out = []
    edges = list(edges)
    for now in range(0, until, 10):
        while edges and edges[0][0] <= now:
            e = c.edge(edges.pop(0)[1], now)
            if e:
                out.append((now, NAMES[e]))
        e = c.poll(now)
        if e:
            out.append((now, NAMES[e]))
    return out


print("short", play([(100, 1), (250, 0)]))
print("short_no_double", play([(100, 1), (250, 0)], double=False))
print("bouncy_short", play([(100, 1), (110, 0), (120, 1), (300, 0), (310, 1), (320, 0)]))
print("double", play([(100, 1), (200, 0), (350, 1), (450, 0)]))
print("two_shorts", play([(100, 1), (200, 0), (1000, 1), (1100, 0)]))
print("long", play([(100, 1), (2000, 0)]))
print("long_then_short", play([(100, 1), (1500, 0), (2000, 1), (2100, 0)]))
