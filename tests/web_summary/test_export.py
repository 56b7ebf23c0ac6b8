"""CSV export: BOM, `;`, French dates, formulas defused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from web_summary.export import csv_bytes
from web_summary.schemas import FollowedOut, OpsnSummary


def test_csv_cells_and_formula_injection() -> None:
    row = FollowedOut(
        id=1,
        siret="21310555400017",
        name='=HYPERLINK("http://x";"clic")',
        kind="epci",
        departement="2A",
        population=1200,
        index=0,
        grade="E",
        answered=0,
        total=32,
        progress_percent=0,
        last_activity=datetime(2026, 7, 14, 22, 30, tzinfo=UTC),
    )
    summary = OpsnSummary(
        slug="s",
        name="S",
        collectivites=[row],
        pending=[],
        distribution=[],
        median_index=None,
        sort="name",
        order="asc",
    )
    raw = csv_bytes(summary)
    assert raw[:3] == b"\xef\xbb\xbf"
    header, line = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(header) == len(line) == 11
    assert line[1].startswith("'=")  # a spreadsheet shows it as text, never runs it
    assert line[2] == "Intercommunalité (EPCI)"
    assert line[5:7] == ["", ""]  # not started: no index, no letter
    assert line[10] == "15/07/2026 00:30"  # Paris time
