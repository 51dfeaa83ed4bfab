"""The server's clock: always timezone-aware UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def utc_text(moment: datetime) -> str:
    """Return the API's one text form of a time: ISO 8601 in UTC with `+00:00`.

    A naive value is taken as UTC (as the database stores it).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()
