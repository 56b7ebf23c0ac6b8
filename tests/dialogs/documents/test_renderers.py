"""The plan as CSV and ODS, the roadmap as PDF: opened again and read, as a user's software would."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from xml.etree import ElementTree

import pypdf
import pytest

from dialogs.documents.data import RoadmapData
from dialogs.documents.files import DocumentFormat, make
from dialogs.documents.ods import plan_ods
from dialogs.documents.pdf import roadmap_pdf
from dialogs.documents.tables import HEADER, plan_csv
from dialogs.ports import Transaction
from referential.models import Referential
from tests.helpers.documents import SIRET, arrange, data_of
from tests.helpers.fake_store import FakeDatabase

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
HOSTILE = "<script>alert(1)</script>\nÉcole\t=SOMME(A1) " + "très long " * 200


def build(referential: Referential, **kwargs: object) -> RoadmapData:
    db = FakeDatabase()

    def work(tx: Transaction) -> RoadmapData:
        cid = arrange(tx, referential, **kwargs)  # type: ignore[arg-type]
        return data_of(tx.store, referential, cid)

    return db.run(work)


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def ods_rows(content: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        root = ElementTree.fromstring(archive.read("content.xml"))
        assert b"<dc:language>fr-FR</dc:language>" in archive.read("meta.xml")
    return [
        ["".join(p.itertext()) for p in row.iter(f"{TABLE}table-cell")]
        for row in root.iter(f"{TABLE}table-row")
    ]


def pdf_text(content: bytes) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_csv_reads_back_with_the_plan_rows(referential: Referential) -> None:
    data = build(referential)
    rows = csv_rows(plan_csv(data))
    assert tuple(rows[0]) == HEADER
    assert len(rows) == 1 + len(data.rows)
    assert [r[1] for r in rows[1:]] == [row.title for row in data.rows]
    assert {r[9] for r in rows[1:]} == {f'="{SIRET}"'}  # kept as text by spreadsheets
    assert {r[11] for r in rows[1:]} == {'="01"'}
    planned = next(r for r in rows[1:] if r[5])
    assert (planned[5], planned[7]) == ("15/03/2027", "Secrétaire de mairie")
    assert "Réalisé" in {r[4] for r in rows[1:]}


def test_ods_reads_back_with_the_plan_rows(referential: Referential) -> None:
    data = build(referential)
    rows = ods_rows(plan_ods(data))
    assert tuple(rows[0]) == HEADER
    assert [r[1] for r in rows[1:]] == [row.title for row in data.rows]
    assert [int(r[0]) for r in rows[1:]] == [row.number for row in data.rows]
    assert {r[9] for r in rows[1:]} == {SIRET}
    assert {r[11] for r in rows[1:]} == {"01"}


def test_pdf_has_name_score_target_and_every_open_action(referential: Referential) -> None:
    data = build(referential)
    content = roadmap_pdf(data)
    assert content.startswith(b"%PDF") and len(content) <= 300_000
    text, reader = pdf_text(content)
    flat = " ".join(text.split())
    assert "Feuille de route numérique responsable" in flat
    assert "Commune de Test" in flat
    assert f"Indice de maturité : {data.index} / 100 — lettre {data.grade}" in flat
    assert "Atteindre la lettre B" in flat and "30/06/2027" in flat
    assert "Secrétaire de mairie" in flat and "À planifier" in flat
    assert f"version {referential.version}" in flat
    for row in data.open_rows:
        assert " ".join(row.title.split()) in flat, row.title
    for page in reader.pages:  # A4 portrait, in points
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert reader.metadata is not None and reader.metadata.title.startswith("Feuille de route")
    assert b"/Lang (fr-FR)" in content


def test_the_same_data_gives_the_same_bytes(referential: Referential) -> None:
    data = build(referential)
    assert roadmap_pdf(data) == roadmap_pdf(data)
    first = plan_ods(data)
    time.sleep(2.1)  # zip entries carry a time to the 2 seconds: the clock must not leak in
    assert plan_ods(data) == first


def test_hostile_names_are_plain_text_everywhere(referential: Referential) -> None:
    data = build(referential, name=HOSTILE, function='=HYPERLINK("x")\r\nChef')
    rows = csv_rows(plan_csv(data))
    assert all("\n" not in cell and "\t" not in cell for row in rows for cell in row)
    assert rows[1][10].startswith("<script>") and len(rows[1][10]) <= 1000
    assert any(r[7].startswith("'=HYPERLINK") for r in rows[1:])  # defused formula
    assert ods_rows(plan_ods(data))[1][10] == rows[1][10]
    text, _ = pdf_text(roadmap_pdf(data))
    assert "<script>alert(1)</script> École" in " ".join(text.split())


def test_no_answers_yet_gives_an_empty_plan_not_an_error(referential: Referential) -> None:
    data = build(referential, answered=False, target=False)
    assert data.rows == () and data.answered == 0
    assert csv_rows(plan_csv(data)) == [list(HEADER)]
    assert ods_rows(plan_ods(data)) == [list(HEADER)]
    text, _ = pdf_text(roadmap_pdf(data))
    flat = " ".join(text.split())
    assert "Aucune action ouverte" in flat and "Aucune cible fixée" in flat


@pytest.mark.parametrize("fmt", list(DocumentFormat))
def test_files_are_named_and_typed(referential: Referential, fmt: DocumentFormat) -> None:
    file = make(build(referential), fmt)
    assert file.filename.endswith(f"-{SIRET}-2026-11-23.{fmt.value}")
    assert file.media_type in {
        "text/csv",
        "application/pdf",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
    assert 0 < len(file.content) <= 300_000
