"""Issue 13's quality bar through Telegram (fake Bot API, both libraries), notifications delivered by
the outbox dispatcher: an accepted collectivité answers level-2 questions with French figures (and
nonsense stores nothing), /indicateurs computes an indicator, the referent reads those answers and
pushes a recommendation that reaches the plan after « Ajouter au plan »; each notification arrives
once; a stranger and a referent of another OPSN see nothing of it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.dispatcher import OutboxDispatcher
from dialogs.level2.buttons import Level2Ask
from dialogs.opsn.buttons import SuperviseOpen
from dialogs.opsn.push_buttons import ProposalAccept, PushList, PushTo
from dialogs.records import InvitationKind
from dialogs.team.people import new_token
from storage.models import Answer, Collectivite, RecommendationProposal
from storage.store import SqlStore
from tests.bot.telegram.conftest import RunningBot
from tests.bot.telegram.test_team_opsn_telegram import notified, seen
from tests.helpers.fake_bot_api import FakeBotApi

ADMIN, REFERENT, FAR, STRANGER = 501, 502, 503, 504
TITLE = "Atelier sobriété numérique du 12 mars"


@pytest.fixture
async def dispatcher(polling_bot: RunningBot, sessions: Any) -> AsyncIterator[None]:
    """The outbox dispatcher of `ecoclic serve`, on the bot's own delivery (shared flood control)."""
    stop = asyncio.Event()
    outbox = OutboxDispatcher(sessions, polling_bot.runtime.delivery, poll_interval=0.05)
    task = asyncio.create_task(outbox.run_forever(stop))
    yield
    stop.set()
    await task
    assert outbox.stats.undeliverable == 0 and outbox.stats.lost_leases == 0


def referent_link(sessions: Any, slug: str, name: str, departements: tuple[str, ...]) -> str:
    """What `ecoclic admin opsn add` + `ecoclic admin referent invite` leave in the database."""
    now = datetime.now(UTC)
    token = new_token()
    with sessions() as session, session.begin():
        store = SqlStore(session)
        opsn, _ = store.opsn.save_opsn(slug, name, departements, now)
        store.people.create_invitation(
            token=token,
            kind=InvitationKind.REFERENT,
            collectivite_id=None,
            opsn_id=opsn.id,
            created_by=None,
            expires_at=now + timedelta(days=7),
            now=now,
        )
    return f"ref_{token}"


def answers(sessions: Any) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(select(Answer.question_id, Answer.value)).all()
        return {qid: value for qid, value in rows}


def collectivite_id(sessions: Any) -> int:
    with sessions() as session:
        return int(session.scalar(select(Collectivite.id)) or 0)


def proposal_statuses(sessions: Any) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(RecommendationProposal.status)).all())


def sent(fake: FakeBotApi, chat_id: int, text: str, *methods: str) -> int:
    """Messages the bot sent to that chat containing `text` (each call once, edits excluded)."""
    return sum(
        1
        for method in methods or ("sendMessage",)
        for call in fake.calls(method)
        if call.ok
        and str(call.params.get("chat_id")) == str(chat_id)
        and text in str(call.params.get("text", ""))
    )


async def test_level2_supervision_and_a_pushed_recommendation(
    polling_bot: RunningBot, dispatcher: None, sessions: Any
) -> None:
    admin = polling_bot.user(ADMIN, name="Camille")
    referent = polling_bot.user(REFERENT, name="Romane")
    far = polling_bot.user(FAR, name="Lou")
    stranger = polling_bot.user(STRANGER, name="Mallory")
    link = referent_link(sessions, "occitan", "Opérateur Occitan", ("31",))
    assert "référent de Opérateur Occitan" in seen(referent, await referent.say(f"/start {link}"))
    far_link = referent_link(sessions, "lointain", "Opérateur Lointain", ("60",))
    assert "référent de Opérateur Lointain" in seen(far, await far.say(f"/start {far_link}"))

    # The commune registers, asks Opérateur Occitan, which accepts.
    await admin.register(name="Commune de Beauvoir")
    await admin.say("/rattachement")
    await admin.tap("Opérateur Occitan")
    await admin.tap("Envoyer la demande")
    request = await notified(referent, "Nouvelle demande de rattachement")
    accept = next(d for row in request.buttons for label, d in row if label == "Accepter")
    await referent.tap_data(request.message_id, accept)
    await notified(admin, "a accepté d’accompagner Commune de Beauvoir")

    # Level 2 in French figures; nonsense is re-prompted and stores nothing.
    await admin.say("/niveau2")
    await admin.tap("Sensibilisation")
    assert "Combien d’agents" in seen(admin, await admin.tap("Continuer"))
    for typed, why in (("beaucoup", "pas pu lire"), ("-3", "trop petit")):
        assert why in seen(admin, await admin.say(typed)), typed
    assert answers(sessions) == {}
    assert "Réponse enregistrée : 1\u202f200\u00a0agents" in seen(admin, await admin.say("1 200"))
    assert "Réponse enregistrée : 45\u00a0agents" in seen(admin, await admin.say("45"))
    computed = seen(admin, await admin.say("/indicateurs"))
    assert "sur deux ans : 3,8\u00a0%" in computed
    await admin.say("/niveau2")
    await admin.tap("Gouvernance")
    assert "Qui tient le rôle de référent" in seen(admin, await admin.tap("Continuer"))
    await admin.tap("Un binôme")  # opens GOV2-02 (function) and GOV2-03 (time share)
    await admin.say("La DGS et l’adjoint")
    ask = Level2Ask(collectivite_id(sessions), "GOV2-03").pack()
    opened = await admin.tap_data(admin.messages()[-1].message_id, ask)
    assert "part de son temps" in seen(admin, opened)
    assert "trop grand" in seen(admin, await admin.say("1 200 000 %"))
    assert "GOV2-03" not in answers(sessions)
    assert "Réponse enregistrée : 12,5" in seen(admin, await admin.say("12,5 %"))
    assert answers(sessions)["GOV2-03"] == "12.5"

    # The referent reads those answers from /collectivites › « Consulter une fiche ».
    await referent.say("/collectivites")
    await referent.tap("Consulter une fiche")
    assert "SIRET 21310555400017" in seen(referent, await referent.tap("Commune de Beauvoir"))
    await referent.tap("Réponses niveau 2")
    sheet = seen(referent, await referent.tap("1. Gouvernance"))
    assert "GOV2-03" in sheet and "12,5\u00a0%" in sheet

    # A referent of another OPSN and a stranger are refused the sheet and the push.
    cid = collectivite_id(sessions)
    for intruder in (far, stranger):
        await intruder.say("/aide")
        last = intruder.messages()[-1].message_id
        for data in (SuperviseOpen(1, cid).pack(), PushTo(1, cid).pack(), PushList(1).pack()):
            assert "réservée aux référents" in seen(intruder, await intruder.tap_data(last, data))

    # The referent pushes a recommendation written freely.
    await referent.say("/collectivites")
    await referent.tap("Proposer une action")
    await referent.tap("Commune de Beauvoir")
    await referent.tap("Rédiger")
    await referent.say(TITLE)
    await referent.say("Les agents apprennent les gestes qui font durer le matériel.")
    await referent.say("Inscrivez deux agents auprès de l’OPSN avant le 1er mars.")
    await referent.tap("Nécessaire")
    due = (datetime.now(UTC) + timedelta(days=100)).strftime("%d/%m/%Y")
    assert "À envoyer à Commune de Beauvoir" in seen(referent, await referent.say(due))
    assert "Proposition envoyée à 1 collectivité" in seen(referent, await referent.tap("Envoyer"))
    pushed = await notified(admin, "Opérateur Occitan propose une action à Commune de Beauvoir")
    assert TITLE in pushed.text
    assert [label for row in pushed.buttons for label, _ in row] == [
        "Ajouter au plan",
        "Pas pour nous",
    ]
    add = next(d for row in pushed.buttons for label, d in row if label == "Ajouter au plan")
    assert ProposalAccept.matches(add)

    # The intruders' forged presses on the proposal get the stale reply; nothing moves.
    for intruder in (far, stranger):
        last = intruder.messages()[-1].message_id
        assert "plus valable" in seen(intruder, await intruder.tap_data(last, add))
    assert proposal_statuses(sessions) == ["pending"]

    # Accepted: it reaches the plan, the referent is told; a second press changes nothing.
    assert "est dans votre plan d’actions" in seen(
        admin, await admin.tap_data(pushed.message_id, add)
    )
    await notified(referent, "Commune de Beauvoir a ajouté à son plan d’actions")
    assert "déjà été ajoutée au plan par vous" in seen(
        admin, await admin.tap_data(pushed.message_id, add)
    )
    plan = seen(admin, await admin.say("/plan"))
    assert TITLE in plan and "Proposée par Opérateur Occitan" in plan
    assert proposal_statuses(sessions) == ["accepted"]
    listing = seen(
        referent, await referent.tap_data(referent.messages()[-1].message_id, PushList(1).pack())
    )
    assert f"{TITLE} → Commune de Beauvoir : ajoutée au plan le" in listing

    # Every notification was delivered once (sendMessage calls, edits aside); intruders got none.
    await polling_bot.fake.wait_idle(quiet=0.3)
    fake = polling_bot.fake
    assert sent(fake, ADMIN, "propose une action à Commune de Beauvoir") == 1
    assert sent(fake, REFERENT, "a ajouté à son plan d’actions") == 1
    assert sent(fake, REFERENT, "Nouvelle demande de rattachement") == 1
    assert sent(fake, ADMIN, "a accepté d’accompagner") == 1
    for intruder in (FAR, STRANGER):
        for phrase in ("Commune de Beauvoir", TITLE, "12,5"):
            assert sent(fake, intruder, phrase, "sendMessage", "editMessageText") == 0
