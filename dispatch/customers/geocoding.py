"""Geocoders behind one small interface: a real geopy adapter and an offline fake."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from dispatch.config import Config


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    source: str


class Geocoder(Protocol):
    def geocode(self, address: str) -> Location | None: ...


class FakeGeocoder:
    """Offline stand-in: a stable point in central Shanghai derived from the address text."""

    name = "fake"
    CENTRE = (31.2304, 121.4737)
    SPREAD = 0.12

    # An address naming this place is "not found", as a real geocoder answers for a vague one.
    UNKNOWN = "nowhere-lane"

    def geocode(self, address: str) -> Location | None:
        if not address.strip() or self.UNKNOWN in address.lower():
            return None
        digest = hashlib.sha256(address.encode()).digest()
        dlat = (digest[0] / 255 - 0.5) * 2 * self.SPREAD
        dlon = (digest[1] / 255 - 0.5) * 2 * self.SPREAD
        return Location(self.CENTRE[0] + dlat, self.CENTRE[1] + dlon, self.name)


class GeopyGeocoder:
    """Any geopy geocoder (Nominatim by default), rate limited to the provider's policy."""

    def __init__(self, geocoder, name: str, min_delay_seconds: float = 1.0):
        from geopy.extra.rate_limiter import RateLimiter

        self.name = name
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds)

    def geocode(self, address: str) -> Location | None:
        # Only the address goes to the processor, never the customer's name (PRV-13).
        found = self._geocode(address)
        return Location(found.latitude, found.longitude, self.name) if found else None


def geocoder_for(config: Config) -> Geocoder:
    """Return the geocoder the configuration names."""
    if config.geocoder == "nominatim":
        from geopy.geocoders import Nominatim

        return GeopyGeocoder(Nominatim(user_agent=config.geocoder_user_agent), "nominatim")
    return FakeGeocoder()
