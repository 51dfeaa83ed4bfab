"""The signing key of a local installation: random, made once, readable by its owner only.

`python -m dispatch.secret_key PATH` prints the key kept at PATH, creating it first (bin/run).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def ensure_secret_key(path: Path) -> str:
    """Return the key stored at `path`, writing a new random one (mode 600) if there is none."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
    path.chmod(0o600)
    key = path.read_text().strip()
    if not key:
        raise ValueError(f"{path} is empty; delete it to make a new key")
    return key


if __name__ == "__main__":
    print(ensure_secret_key(Path(sys.argv[1])))
