"""Travel matrices: geodesic estimates offline, OSRM tables over HTTP, both cached per plan."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from dispatch.routing.rules import UNREACHABLE
from dispatch.routing.travel import GeodesicTravelMatrix, OsrmTravelMatrix, TravelMatrixError

PEOPLES_SQUARE = (31.2304, 121.4737)
LUJIAZUI = (31.2397, 121.4998)  # about 2.7 km east, across the river


def test_geodesic_matrix_turns_distance_into_seconds_at_the_average_speed():
    matrix = GeodesicTravelMatrix(speed_kmh=36, detour_factor=1.0)  # 10 m/s

    table = matrix.table([PEOPLES_SQUARE, LUJIAZUI])

    metres = table.distances[0][1]
    assert 2600 < metres < 2800
    assert table.distances[1][0] == metres
    assert table.durations[0][1] == pytest.approx(metres / 10, abs=1)
    assert table.durations[0][0] == table.distances[1][1] == 0


def test_geodesic_matrix_lengthens_routes_by_the_detour_factor():
    straight = GeodesicTravelMatrix(detour_factor=1.0).table([PEOPLES_SQUARE, LUJIAZUI])
    winding = GeodesicTravelMatrix(detour_factor=1.5).table([PEOPLES_SQUARE, LUJIAZUI])

    assert winding.distances[0][1] == pytest.approx(straight.distances[0][1] * 1.5, abs=1)


def test_matrix_reuses_the_table_for_the_same_points():
    matrix = GeodesicTravelMatrix()

    assert matrix.table([PEOPLES_SQUARE, LUJIAZUI]) is matrix.table([PEOPLES_SQUARE, LUJIAZUI])


class _FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table like OSRM for two points; counts the requests it serves."""

    requests: list[str] = []
    body: dict = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).requests.append(self.path)
        payload = json.dumps(type(self).body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm():
    """Serve a fake OSRM table on 127.0.0.1 for the duration of one test."""
    handler = type("Handler", (_FakeOsrm,), {"requests": [], "body": {}})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield handler, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_osrm_matrix_asks_for_lon_lat_and_rounds_the_table(osrm):
    handler, base_url = osrm
    handler.body = {
        "code": "Ok",
        "durations": [[0, 412.6], [398.2, 0]],
        "distances": [[0, 3120.4], [3302.9, 0]],
    }

    table = OsrmTravelMatrix(base_url).table([PEOPLES_SQUARE, LUJIAZUI])

    assert table.durations == [[0, 413], [398, 0]]
    assert table.distances == [[0, 3120], [3303, 0]]
    assert handler.requests == [
        "/table/v1/driving/121.473700,31.230400;121.499800,31.239700?annotations=duration,distance"
    ]


def test_osrm_matrix_calls_the_service_once_per_set_of_points(osrm):
    handler, base_url = osrm
    handler.body = {"code": "Ok", "durations": [[0, 1], [1, 0]], "distances": [[0, 1], [1, 0]]}
    matrix = OsrmTravelMatrix(base_url)

    matrix.table([PEOPLES_SQUARE, LUJIAZUI])
    matrix.table([PEOPLES_SQUARE, LUJIAZUI])

    assert len(handler.requests) == 1


def test_osrm_matrix_marks_pairs_without_a_route_unreachable(osrm):
    handler, base_url = osrm
    handler.body = {
        "code": "Ok",
        "durations": [[0, None], [5, 0]],
        "distances": [[0, None], [9, 0]],
    }

    table = OsrmTravelMatrix(base_url).table([PEOPLES_SQUARE, LUJIAZUI])

    assert table.durations[0][1] == UNREACHABLE


def test_osrm_matrix_raises_when_the_service_refuses(osrm):
    handler, base_url = osrm
    handler.body = {"code": "InvalidQuery", "message": "bad coordinates"}

    with pytest.raises(TravelMatrixError, match="InvalidQuery"):
        OsrmTravelMatrix(base_url).table([PEOPLES_SQUARE, LUJIAZUI])


def test_osrm_matrix_raises_when_the_service_is_down():
    with pytest.raises(TravelMatrixError):
        OsrmTravelMatrix("http://127.0.0.1:9", timeout_s=1).table([PEOPLES_SQUARE, LUJIAZUI])


def test_vectorised_distances_agree_with_geopy_geodesic():
    import random

    from geopy.distance import geodesic

    from dispatch.routing.travel import ellipsoid_distances

    rng = random.Random(3)
    city = [(31.2 + rng.uniform(-0.3, 0.3), 121.45 + rng.uniform(-0.3, 0.3)) for _ in range(30)]
    country = [(rng.uniform(20, 45), rng.uniform(100, 125)) for _ in range(30)]
    for points, tolerance in ((city, 1e-6), (country, 1e-4)):
        ours = ellipsoid_distances(points)
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                exact = geodesic(points[i], points[j]).meters
                assert ours[i][j] == pytest.approx(exact, rel=tolerance)
