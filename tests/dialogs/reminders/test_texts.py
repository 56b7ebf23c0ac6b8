"""Reminder texts name the collectivité they are about when the recipient has several (issue 16)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dialogs.i18n import translator
from dialogs.reminders.buttons import Done
from dialogs.reminders.texts import digest_reply, due_reply
from referential.models import Referential
from tests.dialogs.reminders.test_planning import item

DAY = date(2026, 11, 23)


def test_due_reminder_names_its_collectivite_when_given(referential: Referential) -> None:
    q = referential.level_questions(1)[0]
    due = item(5, q.id, date(2026, 11, 30))
    tr = translator("fr")
    plain = due_reply(tr, referential, due, DAY)
    named = due_reply(tr, referential, due, DAY, collectivite="Commune de Rivière")
    assert "🏛" not in plain.text
    assert named.text == "🏛 Commune de Rivière\n" + plain.text
    assert named.buttons[0][0].data == Done(5).pack()  # acts on the item, whatever is active


def test_digest_names_each_actions_collectivite_when_they_differ(referential: Referential) -> None:
    first, second = referential.level_questions(1)[:2]
    mine = [item(1, first.id, None), replace(item(2, second.id, None), collectivite_id=2)]
    places = {1: "Commune de Rivière", 2: "Commune du Mont"}
    tr = translator("fr")
    text = digest_reply(tr, referential, "Sophie", mine, DAY, places).text
    assert "Commune de Rivière" in text and "Commune du Mont" in text
    same = digest_reply(tr, referential, "Sophie", mine[:1], DAY, places).text
    assert "Commune de Rivière" not in same  # one collectivité: nothing to tell apart
