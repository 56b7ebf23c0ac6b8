"""How a pushed recommendation reads, for the referent writing it, the team receiving it and the
OPSN's list of outcomes. Catalogue proposals take their texts from the referential, in the reader's
language; free ones show what the referent wrote.
"""

from __future__ import annotations

from datetime import date

from dialogs import ui
from dialogs.i18n import Translator
from dialogs.records import NewProposal, ProposalInfo, ProposalStatus
from referential.models import Referential

Proposal = NewProposal | ProposalInfo

TITLE_MAX = 120
TEXT_MAX = 450  # why and how each: together they fit a plan item's description (1 000)
REASON_MAX = 300
TEXT_MIN = 3


def priority_codes(ref: Referential) -> list[tuple[int, str]]:
    """(weight, code) of the referential's priorities, the highest first: 3 prioritaire…"""
    return sorted(((w, code) for code, w in ref.weights.items()), reverse=True)


def priority_name(tr: Translator, ref: Referential, weight: int) -> str:
    code = next((c for w, c in priority_codes(ref) if w == weight), "")
    return ui.priority_label(tr, code) if code else str(weight)


def proposal_title(ref: Referential, p: Proposal) -> str:
    """The question's recommendation title for catalogue proposals, else what was written."""
    if p.question_id and ref.has_question(p.question_id):
        q = ref.question(p.question_id)
        return q.recommendation.title if q.recommendation is not None else q.text
    return p.title or (p.question_id or "")


def why_and_how(ref: Referential, p: Proposal) -> tuple[str, str]:
    if p.question_id and ref.has_question(p.question_id):
        rec = ref.question(p.question_id).recommendation
        if rec is not None:
            return rec.why, rec.how
    return p.why, p.how


def proposal_body(tr: Translator, ref: Referential, p: Proposal) -> str:
    """Title, why, how, priority and the proposed due date, in the reader's language."""
    ref = ref.translated(tr.locale)
    why, how = why_and_how(ref, p)
    lines = [f"« {proposal_title(ref, p)} »"]
    if why:
        lines.append(tr.gettext("Pourquoi : {text}").format(text=why))
    if how:
        lines.append(tr.gettext("Comment : {text}").format(text=how))
    lines.append(
        tr.gettext("Priorité : {priority}").format(priority=priority_name(tr, ref, p.priority))
    )
    if p.due_date is not None:
        lines.append(
            tr.gettext("Échéance proposée : {date}").format(date=tr.date(p.due_date, "long"))
        )
    return "\n".join(lines)


def details(ref: Referential, p: Proposal) -> str:
    """A plan item's description for a free proposal: why, then how."""
    why, how = why_and_how(ref, p)
    return "\n\n".join(part for part in (why, how) if part)[:1000]


def outcome(tr: Translator, p: ProposalInfo, day: date | None) -> str:
    """Where a proposal stands, as the OPSN's list says it (`day`: of the decision, local)."""
    when = tr.date(day, "long") if day else ""
    if p.status is ProposalStatus.ACCEPTED:
        return tr.gettext("ajoutée au plan le {date}").format(date=when)
    if p.status is ProposalStatus.DECLINED:
        text = tr.gettext("pas retenue le {date}").format(date=when)
        if p.reason:
            text += " — " + tr.gettext("motif : {reason}").format(reason=p.reason)
        return text
    return tr.gettext("en attente de réponse")


def one_line(text: str) -> str:
    """Typed text on one line, runs of spaces and line breaks made single spaces."""
    return " ".join(text.split())
