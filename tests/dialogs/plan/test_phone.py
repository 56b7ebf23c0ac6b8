"""The plan on a phone: stable action numbers, and every button label short enough to read
(≤ 20 characters on a row of two or more, ≤ 28 alone), on every plan screen."""

from __future__ import annotations

import re

from dialogs.plan.entries import plan_number
from dialogs.replies import Reply
from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.plan import answer

ALONE, IN_ROW = 28, 20


def too_long(replies: tuple[Reply, ...]) -> list[str]:
    wrong = []
    for reply in replies:
        for row in reply.buttons:
            limit = ALONE if len(row) == 1 else IN_ROW
            wrong += [
                f"{b.label!r} ({len(b.label)} > {limit})" for b in row if len(b.label) > limit
            ]
    return wrong


async def test_every_plan_screen_has_short_labels(
    alice: ChatDriver, referential: Referential
) -> None:
    await answer(alice, referential, {q.id: "non" for q in referential.level_questions(1)})
    screens = ["/plan"]
    wrong: list[str] = []
    await alice.say("/plan")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    for label in ("Thème", "Priorité", "Statut"):
        await alice.say("/plan")
        await alice.press(label)
        screens.append(label)
        wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.say("/plan")
    await alice.press("Mes actions")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.press("Toute l’équipe")
    await alice.say("/plan")
    first = next(b for b in alice.buttons() if re.match(r"\d+\. ", b.label))
    await alice.tap(first.data)
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    for label in ("Attribuer", "Ressources", "Historique"):
        await alice.tap(first.data)
        await alice.press(label)
        screens.append(label)
        wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.tap(first.data)
    await alice.press("Réalisé")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.say("/documents")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.say("/cible")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    await alice.press("Lettre")
    wrong += too_long(alice.last.replies)  # type: ignore[union-attr]
    assert wrong == [], screens


async def test_numbers_do_not_shift_when_an_action_is_done(
    alice: ChatDriver, referential: Referential
) -> None:
    await answer(alice, referential, {q.id: "non" for q in referential.level_questions(1)[:8]})
    await alice.say("/plan")
    before = {
        b.label.split(". ", 1)[1]: b.label.split(".")[0] for b in alice.buttons() if ". " in b.label
    }
    assert len(before) >= 3
    first = next(b for b in alice.buttons() if ". " in b.label)
    await alice.tap(first.data)
    assert alice.text().startswith(f"n° {first.label.split('.')[0]} — ")
    await alice.press("Réalisé")
    await alice.say("/plan")
    after = {
        b.label.split(". ", 1)[1]: b.label.split(".")[0] for b in alice.buttons() if ". " in b.label
    }
    assert first.label.split(". ", 1)[1] not in after  # done: no longer in the open list
    both = set(before) & set(after)
    assert len(both) >= 2 and all(before[title] == after[title] for title in both)
    q = referential.level_questions(1)[1]
    assert plan_number(referential, q.id) == referential.questions.index(q) + 1
    assert f"n° {plan_number(referential, q.id)} " in alice.text()


async def test_the_plan_leads_to_the_target_and_the_documents(
    alice: ChatDriver, referential: Referential
) -> None:
    await answer(alice, referential, {q.id: "non" for q in referential.level_questions(1)[:4]})
    await alice.say("/plan")
    outcome = await alice.press("Cible")
    assert outcome.replies[0].edit and "Pas encore de cible" in alice.text()
    await alice.say("/plan")
    await alice.press("Documents")
    assert "Documents de Commune de Test" in alice.text()
    assert alice.buttons()[0].label == "Feuille de route PDF"
