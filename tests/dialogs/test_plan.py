"""The action plan in chat: items born from answers, /plan paging and filters, item screens,
closing the loop, authorization, reminder buttons and /rappels — through the real service."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from dialogs.replies import MAX_BUTTON_DATA_BYTES
from referential.models import AnswerType, Referential
from referential.scoring import score
from storage.models import ActionEvent, Answer, AnswerHistory, User
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import inbox
from tests.helpers.plan import Clock, item_id, item_row, join_team, paris, service_with

OTHER_SIRET = "21600057000012"
TELEGRAM_LIMIT = 4096


@pytest.fixture
def clock() -> Clock:
    return Clock(paris(2026, 11, 23, 10))  # a Monday


@pytest.fixture
async def alice(sessions: Any, referential: Referential, clock: Clock) -> ChatDriver:
    driver = ChatDriver.for_user(service_with(sessions, referential, clock), "alice", "Alice")
    await driver.register()
    return driver


def worst(referential: Referential, qid: str) -> str:
    q = referential.question(qid)
    if q.answer_type is AnswerType.CHOICE:
        return min(q.options, key=lambda o: o.credit).id
    return "non"


async def answer(driver: ChatDriver, referential: Referential, answers: dict[str, str]) -> None:
    for qid, value in answers.items():
        await driver.tap(f"a:{qid}:{worst(referential, qid) if value == 'non' else value}")


def all_texts(driver: ChatDriver) -> str:
    return "\n".join(r.text for r in driver.transcript)


async def test_answers_make_items_and_plan_orders_by_priority(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(
        alice, referential, {"EDI-01": "non", "GOV-02": "nsp", "SEN-04": "non", "GOV-01": "oui"}
    )
    await alice.say("/plan")
    text = alice.text()
    titles = [referential.question(q).recommendation.title for q in ("GOV-02", "EDI-01", "SEN-04")]
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions)  # prioritaire, nécessaire, recommandée
    assert referential.question("GOV-01").recommendation.title not in text
    assert "Plan d’actions : 3 actions sur 3" in text and "À faire 3" in text
    async with sessions() as session:
        events = (await session.scalars(select(ActionEvent))).all()
        assert {(e.field, e.old_value, e.new_value) for e in events} == {
            ("status", None, "a_faire")
        }
        assert len(events) == 3


async def test_pages_fit_a_phone_and_cover_every_item_once(
    alice: ChatDriver, referential: Referential
) -> None:
    questions = referential.level_questions(1)
    await answer(alice, referential, {q.id: "non" for q in questions})
    await alice.say("/plan")
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        reply = alice.last.replies[-1]  # type: ignore[union-attr]
        assert len(reply.text) < TELEGRAM_LIMIT
        assert all(
            len(b.data.encode()) <= MAX_BUTTON_DATA_BYTES for row in reply.buttons for b in row
        )
        seen += [b.data for row in reply.buttons for b in row if b.data.startswith("p:i:")]
        following = [b for row in reply.buttons for b in row if "Suivantes" in b.label]
        if not following:
            break
        await alice.tap(following[0].data)
        assert alice.last.replies[-1].edit  # type: ignore[union-attr]
    assert pages == 6  # 32 items, 6 per page
    assert len(seen) == len(set(seen)) == len(questions)
    await alice.press("Précédentes")
    assert "Page 5/6" in alice.text()


async def test_filters_by_theme_priority_status_and_mine(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(
        alice, referential, {"GOV-01": "non", "GOV-04": "non", "SEN-01": "non", "USA-02": "nsp"}
    )
    await alice.say("/plan")
    await alice.press("Thème")
    await alice.press(referential.theme("GOV").title)
    assert "2 actions sur 4" in alice.text()
    await alice.press("Priorité")
    await alice.press("Nécessaire")
    text = alice.text()
    assert "1 action sur 4" in text
    assert referential.question("GOV-04").recommendation.title in text
    await alice.press("Effacer")
    assert "4 actions sur 4" in alice.text()
    # Status filter: move one item to « en cours », then show only those.
    gov01 = await item_id(sessions, "GOV-01")
    await alice.tap(f"p:s:{gov01}:c")
    await alice.say("/plan")
    await alice.press("Statut")
    await alice.press("En cours")
    assert "1 action sur 4" in alice.text()
    await alice.press("Mes actions")
    assert "Aucune action ne correspond" in alice.text()
    # A forged filter code falls back to the defaults instead of failing.
    await alice.tap("p:l:0:ZZZ.q.?.m")
    assert "actions sur 4" in alice.text()


async def test_status_changes_are_logged_and_non_retenu_needs_a_reason(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"PAR-02": "non"})
    item = await item_id(sessions, "PAR-02")
    await alice.tap(f"p:i:{item}")
    await alice.press("Planifié")
    await alice.press("En cours")
    assert "Statut : En cours" in alice.text()
    await alice.press("Non retenu")
    assert "Pourquoi" in alice.text()
    await alice.say("x" * 201)
    assert "plus court" in alice.text()
    await alice.say("  Nos postes  sont loués  ")
    assert "Raison : Nos postes sont loués" in alice.text()
    row = await item_row(sessions, item)
    assert (row.status, row.reason) == ("non_retenu", "Nos postes sont loués")
    await alice.press("Historique")
    history = alice.text()
    assert history.count("Alice") == 5 and "En cours → Non retenu" in history
    async with sessions() as session:
        fields = [
            (e.field, e.old_value, e.new_value)
            for e in await session.scalars(select(ActionEvent).order_by(ActionEvent.id))
        ]
    assert fields == [
        ("status", None, "a_faire"),
        ("status", "a_faire", "planifie"),
        ("status", "planifie", "en_cours"),
        ("status", "en_cours", "non_retenu"),
        ("reason", "", "Nos postes sont loués"),
    ]
    # Answering « non » again keeps the team's decision.
    await alice.tap("a:PAR-02:oui")
    await alice.tap("a:PAR-02:non")
    assert (await item_row(sessions, item)).status == "a_faire"  # oui closed it, non reopened it


async def test_cancel_leaves_a_typed_flow_without_change(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"PAR-01": "non"})
    item = await item_id(sessions, "PAR-01")
    await alice.tap(f"p:s:{item}:x")
    await alice.say("/annuler")
    assert "Rien n’a été enregistré" in alice.text()
    assert (await item_row(sessions, item)).status == "a_faire"


async def test_due_dates_quick_picks_and_typed_french_dates(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"GOV-03": "non"})
    item = await item_id(sessions, "GOV-03")
    await alice.tap(f"p:d:{item}")
    labels = [b.label for b in alice.buttons()]
    assert "Fin du mois (30 nov. 2026)" in labels
    assert "Dans 3 mois (23 févr. 2027)" in labels
    assert "Dans 1 an (23 nov. 2027)" in labels
    await alice.press("Fin du mois")
    assert "lundi 30 novembre 2026 (dans 7 jours)" in alice.text()
    await alice.tap(f"p:dd:{item}:t")
    for typed, expected in (
        ("bientôt", "Je n’ai pas reconnu de date"),
        ("31/02/2027", "La date 31/02/2027 n’existe pas"),
        ("12/11/2026", "déjà passée"),
        ("01/01/2040", "trop lointaine"),
    ):
        await alice.say(typed)
        assert expected in alice.text()
    await alice.say("7/12/2026")
    assert "lundi 7 décembre 2026 (dans 14 jours)" in alice.text()
    assert (await item_row(sessions, item)).due_date.isoformat() == "2026-12-07"  # type: ignore[union-attr]
    await alice.tap(f"p:d:{item}")
    await alice.press("Retirer")
    assert "Échéance : aucune" in alice.text()


async def test_assigning_a_member_notifies_them_and_strangers_are_refused(
    alice: ChatDriver, referential: Referential, sessions: Any, clock: Clock
) -> None:
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    bruno_id = await join_team(sessions, bruno, "alice")
    await answer(alice, referential, {"ACH-03": "non"})
    item = await item_id(sessions, "ACH-03")
    await alice.tap(f"p:a:{item}")
    labels = [b.label for b in alice.buttons()]
    assert labels[:3] == ["Alice (moi)", "Bruno", "Personne"]
    await alice.press("Bruno")
    assert "Personne en charge : Bruno" in alice.text()
    notes = await inbox(sessions, "bruno")
    assert len(notes) == 1 and "Alice vous a confié" in notes[0].text
    await bruno.tap(notes[0].buttons[0][0].data)
    assert "Personne en charge : Bruno" in bruno.text()
    # Someone of another collectivité cannot be assigned, and cannot touch the item.
    stranger = ChatDriver.for_user(alice.service, "zoe", "Zoé")
    await stranger.register(siret=OTHER_SIRET, name="Autre commune")
    async with sessions() as session:
        zoe = await session.scalar(select(User.id).where(User.external_id == "zoe"))
    await alice.tap(f"p:am:{item}:{zoe}")
    assert "ne fait pas (ou plus) partie de l’équipe" in alice.text()
    assert (await item_row(sessions, item)).assignee_id == bruno_id
    for data in (
        f"p:i:{item}",
        f"p:s:{item}:r",
        f"rm:done:{item}",
        f"p:y:{item}",
        "p:i:abc",
        "p:i:999999",
    ):
        await stranger.tap(data)
        assert "n’existe pas ou ne concerne pas votre collectivité" in stranger.text()
    assert (await item_row(sessions, item)).status == "a_faire"


async def test_done_offers_the_answer_update_and_the_index_rises(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"GOV-01": "non", "SEN-01": "nsp"})
    item = await item_id(sessions, "GOV-01")
    await alice.say("/score")
    before = score(referential, {"GOV-01": "non", "SEN-01": "nsp"}).index
    assert f"Indice de maturité : {before}/100" in alice.text()
    await alice.tap(f"p:i:{item}")
    await alice.press("Réalisé")
    text = alice.text()
    after = score(referential, {"GOV-01": "oui", "SEN-01": "nsp"}).index
    assert "Non → Oui" in text and f"passerait de {before} à {after}/100" in text
    async with sessions() as session:  # nothing changed before the confirmation
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "GOV-01"))
            == "non"
        )
    await alice.press("Oui, mettre à jour")
    assert f"Indice de maturité : {before} → {after}/100" in alice.text()
    await alice.say("/score")
    assert f"Indice de maturité : {after}/100" in alice.text()
    assert after - before == round(100 * referential.weight(referential.question("GOV-01")) / 68)
    async with sessions() as session:
        history = (
            await session.scalars(
                select(AnswerHistory.value)
                .where(AnswerHistory.question_id == "GOV-01")
                .order_by(AnswerHistory.id)
            )
        ).all()
    assert history == ["non", "oui"]
    assert (await item_row(sessions, item)).status == "realise"
    await alice.tap(f"p:y:{item}")  # a second tap changes nothing
    assert "déjà à jour" in alice.text()


async def test_keeping_the_answer_and_oui_in_the_questionnaire_closes_the_item(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"ECO-01": "non", "ECO-03": "nsp"})
    eco1 = await item_id(sessions, "ECO-01")
    await alice.tap(f"p:s:{eco1}:r")
    await alice.press("Non, garder")
    assert "la réponse reste « Non »" in alice.text()
    async with sessions() as session:
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "ECO-01"))
            == "non"
        )
    eco3 = await item_id(sessions, "ECO-03")
    await alice.tap("a:ECO-03:oui")
    assert "marquée réalisée" in alice.text()
    assert (await item_row(sessions, eco3)).status == "realise"
    await alice.tap(f"p:s:{eco3}:r")  # already réalisé, answer already oui: no offer
    assert "Mettre à jour la réponse" not in alice.text()


async def test_choice_question_offers_its_full_credit_option(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    q = referential.question("ACH-01")
    await answer(alice, referential, {"ACH-01": "non"})
    item = await item_id(sessions, "ACH-01")
    await alice.tap(f"p:s:{item}:r")
    best = next(o for o in q.options if o.credit >= 1)
    assert f"→ {best.label}" in alice.text()
    await alice.press("Oui, mettre à jour")
    async with sessions() as session:
        assert (
            await session.scalar(select(Answer.value).where(Answer.question_id == "ACH-01"))
            == best.id
        )


async def test_reminder_buttons_and_rappels(
    alice: ChatDriver, referential: Referential, sessions: Any
) -> None:
    await answer(alice, referential, {"RES-03": "non"})
    item = await item_id(sessions, "RES-03")
    await alice.tap(f"rm:wip:{item}")
    assert "est en cours" in alice.text()
    await alice.tap(f"rm:snz:{item}")
    assert "le lundi 30 novembre 2026" in alice.text()
    await alice.tap(f"rm:mute:{item}")
    row = await item_row(sessions, item)
    assert (row.status, row.snoozed_until.isoformat(), row.reminders_muted) == (  # type: ignore[union-attr]
        "en_cours",
        "2026-11-30",
        True,
    )
    await alice.tap(f"p:i:{item}")
    await alice.press("Réactiver les rappels")
    assert not (await item_row(sessions, item)).reminders_muted
    await alice.tap(f"rm:done:{item}")
    assert "Mettre à jour la réponse" in alice.text()
    await alice.tap(f"rm:snz:{item}")  # on a closed item
    assert "Cette action est close (Réalisé)" in alice.text()

    await alice.say("/rappels")
    assert "chaque lundi à 9 h" in alice.text()
    await alice.press("Mettre en pause")
    assert "en pause" in alice.text()
    await alice.press("Reprendre")
    await alice.press("Changer le jour")
    await alice.press("Mercredi")
    await alice.press("Changer l’heure")
    await alice.press("14 h")
    assert "chaque mercredi à 14 h" in alice.text()
    async with sessions() as session:
        user = await session.scalar(select(User).where(User.external_id == "alice"))
        assert user is not None
        assert (user.reminders_paused, user.digest_weekday, user.digest_hour) == (False, 2, 14)
        assert user.reminders_resumed_at is not None
    await alice.tap("rm:hour:3")  # not an offered hour: the choice is offered again
    assert "À quelle heure ?" in alice.text()
    await alice.say("/rappels")
    assert "chaque mercredi à 14 h" in alice.text()


async def test_plan_in_english(sessions: Any, referential: Referential, clock: Clock) -> None:
    driver = ChatDriver.for_user(service_with(sessions, referential, clock), "eve", "Eve")
    await driver.register()
    await driver.tap("l:en")
    await answer(driver, referential, {"GOV-01": "non"})
    await driver.say("/plan")
    assert "Action plan: 1 action out of 1 (open actions)" in driver.text()
    item = await item_id(sessions, "GOV-01")
    await driver.tap(f"p:i:{item}")
    assert "Status: To do" in driver.text()


async def test_empty_plan_and_unregistered(chat: ChatDriver, sessions: Any) -> None:
    await chat.say("/plan")
    assert "inscrire votre collectivité" in chat.text()
    await chat.register()
    await chat.say("/plan")
    assert "Votre plan d’actions est vide" in chat.text()
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ActionEvent)) == 0
