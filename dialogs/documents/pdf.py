"""« Feuille de route numérique responsable » as an A4 PDF, with fpdf2 (pure Python, no browser).

Readable in black and white: no meaning carried by colour, only text, rules and light grey. The
standard Helvetica font (not embedded) keeps a 60-action roadmap far below 300 KB; its Windows-1252
encoding covers French (œ, « », ’, €). The document title and language are set for screen readers.
fpdf2 is imported when a PDF is made, so the engine starts without it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from dialogs.documents.data import PlanRow, RoadmapData
from dialogs.documents.tables import plain
from dialogs.records import ScorePoint

if TYPE_CHECKING:
    from fpdf import FPDF

MEDIA_TYPE = "application/pdf"
TITLE = "Feuille de route numérique responsable"
HISTORY_ROWS = 12  # the last points of the score history: the page stays short after years of use
ENCODING = "windows-1252"


def _t(value: str, limit: int = 600) -> str:
    """Text the core font can draw: one line, cut, characters outside Windows-1252 replaced."""
    text = plain(value, limit)
    return text.encode(ENCODING, "replace").decode(ENCODING)


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def moves(data: RoadmapData) -> list[ScorePoint]:
    """The history points where the index or the letter moved (and the last one)."""
    kept: list[ScorePoint] = []
    for i, point in enumerate(data.history):
        last = i == len(data.history) - 1
        if not kept or (point.index, point.grade) != (kept[-1].index, kept[-1].grade) or last:
            kept.append(point)
    return kept[-HISTORY_ROWS:]


def plan_years(data: RoadmapData) -> list[tuple[str, list[PlanRow]]]:
    """Open actions over three years by due date (late ones in the first year, later ones in the
    last), then those without a date, « à planifier »."""
    first = data.generated.year
    years: dict[int, list[PlanRow]] = {first + k: [] for k in range(3)}
    unplanned: list[PlanRow] = []
    for row in data.open_rows:
        if row.due_date is None:
            unplanned.append(row)
        else:
            years[min(max(row.due_date.year, first), first + 2)].append(row)
    sections = []
    for year, rows in years.items():
        rows.sort(key=lambda r: r.due_date or date.max)  # stable: same day, plan order
        label = f"{year} et au-delà" if year == first + 2 else str(year)
        sections.append((label, rows))
    sections.append(("À planifier", unplanned))
    return sections


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def heading(self, text: str) -> None:
        pdf = self.pdf
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, _t(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(0)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)

    def line(self, text: str, *, bold: bool = False, size: int = 10) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, _t(text), new_x="LMARGIN", new_y="NEXT")

    def table(
        self, header: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]
    ) -> None:
        pdf = self.pdf
        pdf.set_font("Helvetica", "", 9)
        pdf.set_draw_color(120)
        with pdf.table(col_widths=widths, line_height=5, text_align="LEFT") as table:
            for cells in [header, *rows]:
                row = table.row()
                for cell in cells:
                    row.cell(_t(cell, 200))
        pdf.ln(2)


def _action(w: _Writer, row: PlanRow) -> None:
    pilot = row.pilot_function or "fonction à préciser"
    pilot += f" ({row.pilot})" if row.pilot else ""
    w.line(f"N° {row.number} — {row.title}", bold=True)
    details = [d for d in (row.origin, row.theme, row.priority, row.status) if d]
    details.append(f"échéance {_day(row.due_date)}" if row.due_date else "sans échéance")
    w.line(" · ".join(details), size=9)
    w.line(f"Pilote : {pilot if row.pilot else 'à désigner'}", size=9)
    if row.indicator:
        w.line(f"{'Description' if row.origin else 'Indicateur'} : {row.indicator}", size=9)
    w.pdf.ln(1.5)


def roadmap_pdf(data: RoadmapData) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_title(_t(f"{TITLE} — {data.name}", 200))
    pdf.set_lang("fr-FR")
    pdf.set_author("Éco-clic")
    pdf.set_creator("Éco-clic Chat")
    # Dated by the document's day, not the clock: the same data always gives the same bytes.
    pdf.set_creation_date(datetime.combine(data.generated, time(12), UTC))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 15, 18)
    footer = _t(f"{data.name} — {TITLE} — {_day(data.generated)}", 120)

    def _footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(0, 5, f"{footer} — page {pdf.page_no()}/{{nb}}", align="C")

    pdf.footer = _footer  # type: ignore[method-assign]
    pdf.add_page()
    w = _Writer(pdf)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _t(TITLE), new_x="LMARGIN", new_y="NEXT")
    w.line(data.name, bold=True, size=14)
    w.line(
        f"{data.kind} · département {data.departement} · {data.population:,} habitants · SIRET {data.siret}".replace(
            ",", " "
        ),
        size=10,
    )
    w.line(
        f"Établie le {_day(data.generated)} · référentiel Éco-clic version {data.referential_version}"
        f" du {_day(data.referential_date)}",
        size=9,
    )

    w.heading("Où en est la collectivité")
    w.line(f"Indice de maturité : {data.index} / 100 — lettre {data.grade}", bold=True, size=12)
    w.line(f"Questions répondues : {data.answered} sur {data.total}.", size=10)
    if data.answered < data.total:
        w.line("Questionnaire en cours : l'indice est provisoire.", size=9)
    if data.themes:
        w.line("Indice par thème", bold=True)
        w.table(
            ("Thème", "Indice", "Réponses"),
            [(t.title, f"{t.index} / 100", f"{t.answered} / {t.total}") for t in data.themes],
            (110, 32, 32),
        )
    if data.history:
        w.line("Historique de l'indice", bold=True)
        w.table(
            ("Date", "Indice", "Lettre", "Réponses"),
            [
                (_day(p.at.date()), str(p.index), p.grade, f"{p.answered} / {p.total}")
                for p in moves(data)
            ],
            (50, 40, 40, 44),
        )

    w.heading("Cible")
    if data.target is None:
        w.line("Aucune cible fixée : l'équipe peut en choisir une avec la commande /cible.")
    else:
        t = data.target
        w.line(f"Atteindre la {t.label} (indice {t.index}) d'ici le {_day(t.due_date)}.", bold=True)
        if t.reached:
            w.line("La cible est atteinte.")
        elif t.actions:
            numbers = ", ".join(f"n° {n}" for n in t.actions)
            w.line(f"Actions qui suffisent pour l'atteindre : {numbers}.")

    w.heading("Plan d'actions sur trois ans")
    if not data.open_rows:
        w.line("Aucune action ouverte : le plan est vide pour l'instant.")
    for label, rows in plan_years(data):
        if not rows:
            continue
        w.line(f"{label} — {len(rows)} action{'s' if len(rows) > 1 else ''}", bold=True, size=12)
        pdf.ln(1)
        for row in rows:
            _action(w, row)
    closed = [row for row in data.rows if not row.is_open]
    if closed:
        w.line("Actions réalisées ou non retenues", bold=True, size=12)
        for row in closed:
            w.line(f"N° {row.number} — {row.title} ({row.status.lower()})", size=9)

    if data.indicators:
        w.heading("Indicateurs (niveau 2)")
        w.table(("Indicateur", "Valeur"), [(a, b) for a, b in data.indicators], (124, 50))
    return bytes(pdf.output())
