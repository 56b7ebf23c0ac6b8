"""Which documents exist, and one `Attachment` for each (file name, media type, bytes)."""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

from dialogs.documents.data import RoadmapData
from dialogs.documents.ods import MEDIA_TYPE as ODS_TYPE
from dialogs.documents.ods import plan_ods
from dialogs.documents.pdf import MEDIA_TYPE as PDF_TYPE
from dialogs.documents.pdf import roadmap_pdf
from dialogs.documents.tables import plan_csv
from dialogs.replies import Attachment


class DocumentKind(StrEnum):
    PLAN = "plan"
    ROADMAP = "roadmap"


class DocumentFormat(StrEnum):
    CSV = "csv"
    ODS = "ods"
    PDF = "pdf"


Renderer = Callable[[RoadmapData], bytes]
# The plan is a table (CSV, ODS); the roadmap is a document (PDF) that includes the plan. Asked in
# another format, each gives what that format holds: the plan's table, or the roadmap.
RENDERERS: dict[DocumentFormat, tuple[Renderer, str]] = {
    DocumentFormat.CSV: (plan_csv, "text/csv"),
    DocumentFormat.ODS: (plan_ods, ODS_TYPE),
    DocumentFormat.PDF: (roadmap_pdf, PDF_TYPE),
}
STEMS = {DocumentFormat.CSV: "plan-actions", DocumentFormat.ODS: "plan-actions"}


def make(data: RoadmapData, fmt: DocumentFormat) -> Attachment:
    render, media_type = RENDERERS[fmt]
    stem = STEMS.get(fmt, "feuille-de-route")
    name = f"{stem}-{data.siret}-{data.generated.isoformat()}.{fmt.value}"
    return Attachment(re.sub(r"[^A-Za-z0-9._-]", "_", name), media_type, render(data))
