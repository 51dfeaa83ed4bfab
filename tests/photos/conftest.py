"""Photo tests store their bytes in a directory of their own."""

from __future__ import annotations

import pytest


@pytest.fixture
def photo_config(app, config, monkeypatch, tmp_path):
    """Point the running app's photo store at a fresh directory; return the config in use."""

    def use(**overrides):
        changed = config.with_overrides(photo_dir=str(tmp_path / "photos"), **overrides)
        monkeypatch.setitem(app.config, "DISPATCH", changed)
        return changed

    use()
    return use
