"""Issue 12: the console's map loads tiles only from the configured tile server (CSP img-src)."""

from dispatch.web.console import tile_source


def test_tile_source_is_the_origin_of_the_configured_tile_url_issue_12():
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert tile_source("https://{s}.tiles.example.cn:8443/{z}/{x}/{y}.png") == (
        "https://*.tiles.example.cn:8443"
    )
