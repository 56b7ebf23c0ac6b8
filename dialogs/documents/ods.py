"""The action plan as an OpenDocument spreadsheet (.ods), written with the standard library.

An ODS is a zip of a few XML files; one table of strings, numbers and dates needs about sixty lines,
so no dependency: odfpy would bring a whole object model (and its start-up time) for one table.
LibreOffice, the public sector's office suite, opens it natively, and so does Excel. The first
row is the header, frozen cells are left to the reader's software.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from dialogs.documents.data import RoadmapData
from dialogs.documents.tables import HEADER, Cell, plain, plan_rows

MEDIA_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'office:version="1.3"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f"<manifest:manifest {_NS}>"
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MEDIA_TYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _xml_text(value: str) -> str:
    """XML 1.0 refuses most control characters: they never reach the file."""
    return escape("".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32))


def _cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, date):
        shown = value.strftime("%d/%m/%Y")
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    if isinstance(value, int):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{_xml_text(value)}</text:p></table:table-cell>'


def _row(cells: tuple[Cell, ...]) -> str:
    return "<table:table-row>" + "".join(_cell(c) for c in cells) + "</table:table-row>"


def plan_ods(data: RoadmapData) -> bytes:
    rows = [_row(HEADER), *(_row(r) for r in plan_rows(data))]
    name = quoteattr(plain("Plan d’actions", 31))
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-content {_NS}><office:body><office:spreadsheet>"
        f"<table:table table:name={name}>"
        f'<table:table-column table:number-columns-repeated="{len(HEADER)}"/>'
        + "".join(rows)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    title = _xml_text(plain(f"Plan d’actions numérique responsable — {data.name}", 300))
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<office:document-meta {_NS}><office:meta>"
        f"<dc:title>{title}</dc:title><dc:language>fr-FR</dc:language>"
        f"<meta:creation-date>{data.generated.isoformat()}T00:00:00</meta:creation-date>"
        "</office:meta></office:document-meta>"
    )
    day = data.generated
    stamp = (day.year, day.month, day.day, 0, 0, 0)  # not the clock: same data, same bytes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype entry comes first and uncompressed: that is how software recognises an ODS.
        for name, text in (
            ("mimetype", MEDIA_TYPE),
            ("META-INF/manifest.xml", _MANIFEST),
            ("meta.xml", meta),
            ("content.xml", content),
        ):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
    return buffer.getvalue()
