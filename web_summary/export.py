"""CSV export of an OPSN's collectivités, shaped for French spreadsheet software.

`;` separates columns (the comma is the French decimal mark), the file starts with a UTF-8 byte
order mark so accents open correctly, and cells that a spreadsheet would run as a formula are
defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from web_summary.schemas import OpsnSummary
from web_summary.views import kind_label

HEADER = (
    "SIRET",
    "Collectivité",
    "Type",
    "Département",
    "Population",
    "Indice",
    "Lettre",
    "Questions répondues",
    "Questions",
    "Progression (%)",
    "Dernière activité",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _decimal(value: float | None) -> str:
    """An indicator value for a French spreadsheet: "12,5", "" when non calculable."""
    if value is None:
        return ""
    return f"{round(value, 1):g}".replace(".", ",")


def csv_bytes(summary: OpsnSummary, tz: str = "Europe/Paris") -> bytes:
    zone = ZoneInfo(tz)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER + tuple(_cell(f"{i.title} ({i.unit})") for i in summary.indicator_stats))
    for row in summary.collectivites:
        writer.writerow(
            _cell(v)
            for v in (
                row.siret,
                row.name,
                kind_label(row.kind),
                row.departement,
                row.population,
                row.index if row.answered else "",
                row.grade if row.answered else "",
                row.answered,
                row.total,
                row.progress_percent,
                row.last_activity.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                *(_decimal(value) for value in row.indicators),
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
