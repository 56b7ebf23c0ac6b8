"""Sending pushed recommendations, and the referent's list of what became of them.

`send_proposals` stores one proposal per collectivité (skipping those where the same one still
waits for an answer) and queues, in the same transaction, one message per administrator of each
team, rendered in that person's language with « Ajouter au plan » / « Pas pour nous ».
"""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo

from dialogs import access
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import Translator
from dialogs.opsn.buttons import FollowedPage
from dialogs.opsn.push_buttons import ProposalAccept, ProposalDecline, PushList
from dialogs.opsn.push_texts import one_line, outcome, proposal_body, proposal_title
from dialogs.opsn.supervision_view import short
from dialogs.parsing import fold
from dialogs.records import NewProposal, OpsnInfo, ProposalInfo, ProposalStatus
from dialogs.replies import Button, Keyboard, Reply
from dialogs.router import Router
from dialogs.ui import button, page_nav, paginate

router = Router()

LIST_PAGE = 10
LIST_MAX = 200  # the newest proposals an OPSN's list shows


def same(a: NewProposal | ProposalInfo, b: NewProposal | ProposalInfo) -> bool:
    """The same recommendation: the same question, or the same title written freely."""
    if a.question_id or b.question_id:
        return a.question_id == b.question_id
    return fold(one_line(a.title)) == fold(one_line(b.title))


def answer_buttons(tr: Translator, proposal_id: int) -> Keyboard:
    return (
        (
            button(tr.gettext("Ajouter au plan"), ProposalAccept(proposal_id)),
            button(tr.gettext("Pas pour nous"), ProposalDecline(proposal_id)),
        ),
    )


def send_proposals(
    ctx: Ctx, opsn: OpsnInfo, collectivite_ids: list[int], proposal: NewProposal
) -> None:
    _ = ctx._
    waiting = {
        p.collectivite_id
        for p in ctx.store.proposals.of_opsn(opsn.id, ProposalStatus.PENDING, limit=10_000)
        if same(p, proposal)
    }
    targets = [cid for cid in collectivite_ids if cid not in waiting]
    skipped = len(collectivite_ids) - len(targets)
    if not targets:
        ctx.toast(_("Déjà proposée."))
        ctx.say(
            _(
                "Cette action est déjà proposée et attend une réponse : rien n’a été envoyé de "
                "nouveau."
            ),
            ((button(_("Propositions envoyées"), PushList(opsn.id)),),),
            edit=True,
        )
        return
    created = ctx.store.proposals.propose(
        opsn.id, targets, proposal, created_by=ctx.user.id, now=ctx.now
    )
    unreached = 0
    for p in created:
        admins = [m.user_id for m in ctx.store.people.members(p.collectivite_id) if m.is_admin]
        unreached += not admins
        render = functools.partial(notification, ctx, opsn, p)
        for uid in admins:
            ctx.notify(uid, f"push:{p.id}:{uid}", render)
    text = ctx.tr.ngettext(
        "Proposition envoyée à {n} collectivité. Vous serez prévenu·e de sa réponse.",
        "Proposition envoyée à {n} collectivités. Vous serez prévenu·e de leurs réponses.",
        len(created),
    ).format(n=len(created))
    if skipped:
        text += "\n" + ctx.tr.ngettext(
            "{n} collectivité l’avait déjà en attente : elle ne la reçoit pas deux fois.",
            "{n} collectivités l’avaient déjà en attente : elles ne la reçoivent pas deux fois.",
            skipped,
        ).format(n=skipped)
    if unreached:
        text += "\n" + _(
            "Certaines collectivités n’ont pas d’administrateur joignable : elles ne sont pas "
            "prévenues."
        )
    ctx.say(text, ((button(_("Propositions envoyées"), PushList(opsn.id)),),), edit=True)


def notification(ctx: Ctx, opsn: OpsnInfo, p: ProposalInfo, tr: Translator) -> Reply:
    """What a team administrator receives: the proposal and the two answers."""
    return Reply(
        tr.gettext("{opsn} propose une action à {name} :").format(
            opsn=opsn.name, name=p.collectivite_name
        )
        + "\n\n"
        + proposal_body(tr, ctx.ref, p)
        + "\n\n"
        + tr.gettext(
            "Ajoutez-la à votre plan d’actions, ou dites à {opsn} pourquoi elle ne vous convient "
            "pas."
        ).format(opsn=opsn.name),
        answer_buttons(tr, p.id),
    )


@router.button(PushList)
def proposals_list(ctx: Ctx, event: Event, data: PushList) -> None:
    mine = access.require_referent(ctx, data.opsn_id)
    if not mine:
        return
    opsn = mine[0]
    _ = ctx._
    found = ctx.store.proposals.of_opsn(opsn.id, limit=LIST_MAX)
    back = (button(short(_("Liste des collectivités")), FollowedPage(opsn.id, 0)),)
    if not found:
        ctx.say(_("{opsn} n’a encore proposé aucune action.").format(opsn=opsn.name), (back,))
        return
    page = paginate(found, data.page, LIST_PAGE)
    zone = ZoneInfo(ctx.config.timezone)
    lines = [_("Actions proposées par {opsn} :").format(opsn=opsn.name)]
    if page.count > 1:
        lines[0] += " " + _("page {page}/{pages}").format(page=page.number + 1, pages=page.count)
    for p in page.items:
        day = p.decided_at.astimezone(zone).date() if p.decided_at else None
        lines.append(
            f"• {proposal_title(ctx.ref, p)} → {p.collectivite_name} : {outcome(ctx.tr, p, day)}"
        )
    rows: list[tuple[Button, ...]] = []
    nav = page_nav(ctx.tr, page, lambda n: PushList(opsn.id, n))
    if nav:
        rows.append(nav)
    rows.append(back)
    ctx.say("\n".join(lines), tuple(rows))
