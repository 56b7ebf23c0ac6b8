"""Times the command line prints: stored in UTC, shown as a French reader expects them, in the
installation's zone (ECOCLIC_TIMEZONE, Europe/Paris by default) and without naming it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def local_datetime(moment: datetime, zone: str = "Europe/Paris") -> str:
    """« 25 octobre 2026 à 02:30 », « 1er mars 2027 à 09:00 »: the wall-clock time in `zone`
    (summer or winter time as it falls on that day). A naive `moment` is taken as UTC, like every
    stored time."""
    from babel.dates import format_datetime  # only for the commands that print a time

    tz = ZoneInfo(zone)
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz)
    day = "1er" if local.day == 1 else str(local.day)
    return day + format_datetime(local, " MMMM y 'à' HH:mm", tzinfo=tz, locale="fr")
