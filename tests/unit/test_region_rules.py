"""A site's region is derived from its coordinates; outside every region gives None."""

from types import SimpleNamespace

from dispatch.regions.rules import point_in_polygon, region_containing

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10]]


def test_point_inside_outside_and_on_edge():
    assert point_in_polygon(5, 5, SQUARE)
    assert not point_in_polygon(11, 5, SQUARE)
    assert point_in_polygon(10, 5, SQUARE)


def test_region_containing_returns_none_outside_all_regions():
    regions = [
        SimpleNamespace(polygon=SQUARE, code="A"),
        SimpleNamespace(polygon=[[20, 0], [30, 0], [30, 10]], code="B"),
    ]
    assert region_containing(25, 2, regions).code == "B"
    assert region_containing(50, 50, regions) is None
