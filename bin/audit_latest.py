"""Fallback vulnerability check of requirements.lock when pip-audit's services are out of reach.

PyPI's package-level JSON API (https://pypi.org/pypi/<name>/json) lists the known
vulnerabilities of the package's newest release. For every pin that *is* the newest release
that list is exactly what pip-audit would report, so those pins are checked and any
vulnerability fails the run; pins older than the newest release cannot be judged this way and
are listed as unchecked (a warning, not a failure: a new upstream release must not break CI).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def pins(lock: Path) -> list[tuple[str, str]]:
    rows = []
    for line in lock.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            rows.append((name.strip(), version.strip()))
    return rows


def look_up(pin: tuple[str, str]) -> tuple[str, str, str | None, list[dict] | None]:
    name, version = pin
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=10) as reply:
            data = json.load(reply)
    except Exception:  # noqa: BLE001 - any failure leaves the pin unchecked
        return name, version, None, None
    return name, version, data["info"]["version"], data.get("vulnerabilities")


def main(lock: str = "requirements.lock") -> int:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(look_up, pins(Path(lock))))
    checked = [r for r in results if r[2] == r[1] and r[3] is not None]
    unchecked = [r for r in results if r not in checked]
    found = [(name, version, v) for name, version, _, vulns in checked for v in vulns]
    for name, version, vuln in found:
        fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix yet"
        print(f"VULNERABLE {name}=={version}: {vuln.get('id')} (fixed in {fixed})")
    print(
        f"fallback audit: {len(checked)} of {len(results)} pins checked (newest releases), "
        f"{len(found)} known vulnerabilities",
        file=sys.stderr,
    )
    if unchecked:
        listed = ", ".join(f"{n}=={v} (newest {latest or '?'})" for n, v, latest, _ in unchecked)
        print(f"  not checkable without pip-audit's service: {listed}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
