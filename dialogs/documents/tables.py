"""The action plan as rows of cells, and the CSV of it, for French spreadsheet software.

CSV: `;` separates columns (the comma is the French decimal mark), UTF-8 with a byte order mark so
accents open correctly, and cells a spreadsheet would run as a formula are defused with a leading
apostrophe. SIRET and département are written `="…"` so that a spreadsheet keeps them as text
(no 2,13E+13, no « 01 » turned into 1); the ODS types those cells as strings instead.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from dialogs.documents.data import RoadmapData

HEADER = (
    "N°",
    "Action",
    "Thème",
    "Priorité",
    "Statut",
    "Échéance",
    "Pilote",
    "Fonction du pilote",
    "Indicateur",
    "SIRET",
    "Collectivité",
    "Département",
)
TEXT_COLUMNS = frozenset({"SIRET", "Département"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX = 1000  # a cell holds a title or a sentence: longer text is cut, never a runaway file

Cell = str | int | date | None


def plain(value: str, limit: int = CELL_MAX) -> str:
    """One line of text: newlines and controls become spaces, cut to `limit` characters."""
    text = "".join(" " if ord(ch) < 32 or ch == "\x7f" else ch for ch in value)
    text = " ".join(part for part in text.split(" ") if part)  # keeps non-breaking spaces
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plan_rows(data: RoadmapData) -> list[tuple[Cell, ...]]:
    return [
        (
            row.number,
            plain(row.title),
            plain(row.theme),
            row.priority,
            row.status,
            row.due_date,
            plain(row.pilot),
            plain(row.pilot_function),
            plain(row.indicator),
            data.siret,
            plain(data.name),
            data.departement,
        )
        for row in data.rows
    ]


def _csv_cell(column: str, value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if column in TEXT_COLUMNS:
        return f'="{text}"'
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plan_csv(data: RoadmapData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in plan_rows(data):
        writer.writerow(_csv_cell(column, value) for column, value in zip(HEADER, row, strict=True))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
