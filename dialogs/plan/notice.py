"""Closing the loop for administrators (issue 15): when someone else marks an action réalisé, each
administrator of the collectivité gets one short notification a day listing what was done.

Batched through the outbox (`Outbox.gather`, same transaction as the close): one message per
administrator and delivery day, sent at NOTICE_HOUR; each close until then rewrites that pending
message, which lists every action réalisé since it was first queued, by someone other than its
reader. A close after NOTICE_HOUR goes into the next day's message. If the day's message was
already claimed by the dispatcher when a late close comes in (a close racing the send), that close
starts the next day's message instead of a second one the same day: at most one a day, always at
the same reasonable hour.

Every way an item becomes réalisé by a person calls `tell_admins`: the status button and the
one-tap « Fait » of a reminder (dialogs.plan.items.change_status), and an answer that settles the
item (dialogs.answers).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from dialogs import ui
from dialogs.context import Ctx
from dialogs.i18n import Translator, locale_of, translator
from dialogs.plan.buttons import PlanPage
from dialogs.plan.schedule import at_local, local
from dialogs.ports import Gathered
from dialogs.records import ClosedInfo
from dialogs.replies import Reply
from referential.models import Referential

NOTICE_HOUR = 17  # local time the day's notification goes out
SHOWN = 10  # actions listed; the rest are counted


def item_title(ref: Referential, closed: ClosedInfo) -> str:
    """A closed action's title: its question's advice, or the team's or OPSN's own title."""
    if closed.question_id is None:
        return closed.title or ""
    return ref.question(closed.question_id).advice().title


def delivery_day(now: datetime, tz: str) -> date:
    """The day whose notification a close at `now` goes into."""
    moment = local(now, tz)
    return moment.date() + timedelta(days=1 if moment.hour >= NOTICE_HOUR else 0)


def notice_key(admin_id: int, collectivite_id: int, day: date) -> str:
    return f"closed:{admin_id}:{collectivite_id}:{day.isoformat()}"


def closed_reply(tr: Translator, ref: Referential, closes: list[ClosedInfo]) -> Reply:
    _ = tr.gettext
    lines = [
        tr.ngettext(
            "Une action du plan a été marquée réalisée :",
            "{n} actions du plan ont été marquées réalisées :",
            len(closes),
        ).format(n=len(closes))
    ]
    for closed in closes[:SHOWN]:
        who = closed.actor_name or _("un ancien membre")
        lines.append(_("• {title} — par {name}").format(title=item_title(ref, closed), name=who))
    if len(closes) > SHOWN:
        more = len(closes) - SHOWN
        lines.append(tr.ngettext("… et {n} autre.", "… et {n} autres.", more).format(n=more))
    return Reply("\n".join(lines), ((ui.button(_("Voir le plan d’actions"), PlanPage()),),))


def _render(
    ctx: Ctx, locale: str, collectivite_id: int, admin_id: int
) -> Callable[[datetime], Reply]:
    """The notification in the administrator's language, titles included (not the actor's)."""
    tr, ref = translator(locale), ctx.ref.translated(locale)

    def render(first: datetime) -> Reply:
        # Read when the outbox row is held: a close committed meanwhile is listed too.
        closes = [
            c
            for c in ctx.store.plan.closed_since(collectivite_id, first)
            if c.actor_id is not None and c.actor_id != admin_id
        ]
        return closed_reply(tr, ref, closes)

    return render


def tell_admins(ctx: Ctx, collectivite_id: int) -> None:
    """The speaker just marked an item of `collectivite_id` réalisé: tell the other administrators."""
    admins = [
        m.user_id
        for m in ctx.store.people.members(collectivite_id)
        if m.is_admin and m.user_id != ctx.user.id
    ]
    tz = ctx.config.timezone
    first_day = delivery_day(ctx.now, tz)
    for admin_id in admins:
        admin = ctx.store.people.user(admin_id)
        if admin is None:
            continue
        locale = locale_of(admin, ctx.config.default_locale)
        render = _render(ctx, locale, collectivite_id, admin_id)
        for day in (first_day, first_day + timedelta(days=1)):
            done = ctx.store.outbox.gather(
                admin_id,
                notice_key(admin_id, collectivite_id, day),
                render,
                now=ctx.now,
                send_at=max(ctx.now, at_local(day, NOTICE_HOUR, tz)),
            )
            if done is not Gathered.GONE:
                break
