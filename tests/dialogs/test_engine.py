"""Whole conversations through the real engine, service and SQLite storage."""

from __future__ import annotations

from sqlalchemy import func, select

from dialogs.events import Event, EventKind
from referential.models import AnswerType, Referential
from referential.scoring import score
from storage.models import AnswerHistory, Collectivite, JoinRequest, Membership, OutboxMessage
from tests.helpers.chat import ChatDriver

SIRET = "21310555400017"
OTHER_SIRET = "21600057000012"


def answer_for(q: object, value: str) -> str:
    """Button data answering `q` with yes/no value, or the best/worst option for a choice question."""
    from referential.models import Question

    assert isinstance(q, Question)
    if q.answer_type is AnswerType.CHOICE:
        options = sorted(q.options, key=lambda o: o.credit)
        option = options[-1] if value == "oui" else options[0]
        return f"a:{q.id}:{option.id}"
    return f"a:{q.id}:{value}"


async def test_welcome_says_what_is_kept(chat: ChatDriver) -> None:
    await chat.say("/start")
    text = chat.text()
    assert "Éco-clic" in text and "SIRET" in text and "Rien d’autre" in text
    assert [b.data for b in chat.buttons()] == ["ob:go"]


async def test_registration_validates_each_field(chat: ChatDriver, sessions: object) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say("123")
    assert "pas un SIRET valide" in chat.text()
    await chat.say("21310555400018")  # bad check digit
    assert "pas un SIRET valide" in chat.text()
    await chat.say("213 105 554 00017")
    assert "type de collectivité" in chat.text()
    await chat.say("n’importe quoi")
    assert "type de collectivité" in chat.text()
    await chat.press("Commune")
    await chat.say("x")
    assert "entre 2 et 200" in chat.text()
    await chat.say("Commune de Test")
    await chat.say("99")
    assert "Je ne connais pas ce département" in chat.text()
    await chat.say("2a")
    await chat.say("beaucoup")
    assert "nombre d’habitants" in chat.text()
    await chat.say("12 500")
    assert "2A" in chat.text() and "12" in chat.text()
    await chat.press("Enregistrer")
    assert "est enregistrée" in chat.text()
    async with sessions() as session:  # type: ignore[operator]
        row = (await session.scalars(select(Collectivite))).one()
        assert (row.siret, row.departement, row.population, row.kind) == (
            SIRET,
            "2A",
            12500,
            "commune",
        )
        assert (await session.scalars(select(Membership.role))).one() == "admin"


async def test_cancel_registration_stores_nothing(chat: ChatDriver, sessions: object) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say(SIRET)
    await chat.say("/annuler")
    assert "Rien n’a été enregistré" in chat.text()
    async with sessions() as session:  # type: ignore[operator]
        assert await session.scalar(select(func.count()).select_from(Collectivite)) == 0


async def test_known_siret_sends_join_request_not_duplicate(
    service: object, sessions: object
) -> None:
    admin = ChatDriver.for_user(service, "admin", "Alice")  # type: ignore[arg-type]
    await admin.register(SIRET)
    newcomer = ChatDriver.for_user(service, "new", "Bob")  # type: ignore[arg-type]
    await newcomer.say("/start")
    await newcomer.press("Inscrire")
    await newcomer.say(SIRET)
    assert "déjà inscrite" in newcomer.text()
    await newcomer.say("/start")
    await newcomer.press("Inscrire")
    await newcomer.say(SIRET)
    assert "déjà transmise" in newcomer.text()
    async with sessions() as session:  # type: ignore[operator]
        assert await session.scalar(select(func.count()).select_from(Collectivite)) == 1
        assert await session.scalar(select(func.count()).select_from(JoinRequest)) == 1
        outbox = (await session.scalars(select(OutboxMessage))).all()
        assert len(outbox) == 1 and "Bob" in outbox[0].payload["text"]
        assert [b["label"] for b in outbox[0].payload["buttons"][0]] == ["Accepter", "Refuser"]


async def test_whole_questionnaire_with_buttons_and_typed_answers(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    questions = referential.level_questions(1)
    assert questions[0].text in chat.text()
    given: dict[str, str] = {}
    for i, q in enumerate(questions):
        assert q.text in "\n".join(r.text for r in chat.transcript[-6:]), q.id
        value = "oui" if i % 3 == 0 else "non"
        if q.answer_type is AnswerType.YES_NO and i % 2:
            await chat.say({"oui": "Oui", "non": "NON"}[value])
            given[q.id] = value
        else:
            data = answer_for(q, value)
            await chat.tap(data)
            given[q.id] = data.rsplit(":", 1)[1]
            assert chat.last is not None and chat.last.replies[0].edit
    final = chat.text()
    s = score(referential, given)
    assert "Questionnaire terminé" in final
    assert f"{s.index}/100" in final and f"lettre {s.grade}" in final
    await chat.say("/score")
    assert f"Indice de maturité : {s.index}/100 · lettre {s.grade}" in chat.text()


async def test_progress_header_and_explanation_after_no(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    first = referential.level_questions(1)[0]
    title = referential.theme(first.theme).title
    assert f"{title} · question 1/" in chat.text()
    await chat.tap(f"a:{first.id}:non")
    text = chat.text()
    assert first.recommendation.title in text and "Votre réponse : Non" in text
    assert "question 2/" in text


async def test_typed_answer_variants(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    yes_no = [q for q in referential.level_questions(1) if q.answer_type is AnswerType.YES_NO]
    for typed in ("o", "Yes", "N", "jsp", "?", "je ne sais pas", "oui!"):
        await chat.say(typed)
        assert "Réponse enregistrée" in chat.text(), typed
    await chat.say("peut-être")
    assert "Je n’ai pas compris cette réponse" in chat.text()
    assert yes_no


async def test_change_earlier_answer_and_stale_button(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    q1, q2, q3 = referential.level_questions(1)[:3]
    await chat.tap(answer_for(q1, "oui"))
    await chat.tap(answer_for(q2, "oui"))
    # Old message of q1: answers q1 (changed), then brings the user back to q3.
    await chat.tap(answer_for(q1, "non"))
    assert q1.recommendation.title in chat.text()
    assert q3.text in chat.text()
    # Double tap on the same old button: nothing changes.
    await chat.tap(answer_for(q1, "non"))
    assert "déjà enregistrée" in chat.text()
    # Unknown question id (a removed question) and garbage data.
    await chat.tap("a:ZZZ-99:oui")
    assert "ne fait plus partie" in chat.text()
    await chat.tap("zz:garbage")
    assert "plus valable" in chat.text()


async def test_skip_and_back(chat: ChatDriver, referential: Referential, sessions: object) -> None:
    await chat.register(SIRET)
    q1, q2 = referential.level_questions(1)[:2]
    await chat.tap(f"s:{q1.id}")
    assert q2.text in chat.text() and "(question passée)" in chat.text()
    await chat.tap(f"b:{q2.id}")
    assert q1.text in chat.text()
    await chat.tap(f"b:{q1.id}")
    assert "première question" in chat.text()
    await chat.tap(f"w:{q1.id}")
    assert q1.help in chat.text()
    async with sessions() as session:  # type: ignore[operator]
        assert await session.scalar(select(func.count()).select_from(AnswerHistory)) == 0


async def test_colleague_continues_same_questionnaire(
    service: object, referential: Referential
) -> None:
    from dialogs.events import Sender
    from storage.models import Membership, User

    admin = ChatDriver.for_user(service, "admin", "Alice")  # type: ignore[arg-type]
    await admin.register(SIRET)
    q1 = referential.level_questions(1)[0]
    await admin.tap(answer_for(q1, "oui"))
    # Add a colleague directly as a member (the invitation flow lives in the team feature).
    sessions = service.sessions  # type: ignore[attr-defined]
    colleague = ChatDriver(service, Sender("test", "colleague", "colleague", "Chloé", "fr"))  # type: ignore[arg-type]
    await colleague.say("/start")
    async with sessions() as session, session.begin():
        user = await session.scalar(select(User).where(User.external_id == "colleague"))
        admin_membership = (await session.scalars(select(Membership))).one()
        session.add(
            Membership(
                collectivite_id=admin_membership.collectivite_id,
                user_id=user.id,
                role="member",
                function_label="",
                created_at=admin_membership.created_at,
            )
        )
    await colleague.say("/questionnaire")
    await colleague.press("Reprendre")
    q2 = referential.level_questions(1)[1]
    assert q2.text in colleague.text()


async def test_unknown_input_always_answered(chat: ChatDriver) -> None:
    for text in ("/nimportequoi", "bonjour", "/plan", "/score", "/aide", "/langue", "/annuler"):
        await chat.say(text)
        assert chat.last is not None and chat.last.replies, text
    await chat.event(Event(EventKind.UNSUPPORTED))
    assert "texte et les boutons" in chat.text()
    await chat.event(Event.typed(""))
    assert "vide" in chat.text()


async def test_language_switch(chat: ChatDriver) -> None:
    await chat.say("/langue")
    await chat.press("English")
    assert "English" in chat.text()
    await chat.say("/help")
    assert "Here is what I can do" in chat.text()


async def test_duplicate_event_id_is_handled_once(
    chat: ChatDriver, referential: Referential, sessions: object
) -> None:
    await chat.register(SIRET)
    q1 = referential.level_questions(1)[0]
    event = Event.button(f"a:{q1.id}:non", event_id="dup-1")
    first = await chat.event(event)
    second = await chat.event(event)
    assert first.handled and first.replies
    assert not second.handled and not second.replies
    async with sessions() as session:  # type: ignore[operator]
        assert await session.scalar(select(func.count()).select_from(AnswerHistory)) == 1


async def test_question_buttons_before_registration(chat: ChatDriver) -> None:
    """Regression (found by the property test): a question button from nowhere, before registering."""
    for data in (
        "w::oui",
        "a:GOV-01:oui",
        "s:GOV-01",
        "b:GOV-01",
        "t:GOV",
        "q:go",
        "d:ZZZ",
        "r:score",
    ):
        await chat.tap(data)
        assert "Désolé" not in chat.text(), data
        assert chat.last is not None and (chat.last.replies or chat.last.toast), data
