"""Two administrators answer the same pushed recommendation at the same instant, on real SQL
(SQLite, and PostgreSQL when set): one answer wins, the plan gets at most one item, the referents
hear of it once. The fake store takes units of work in turns and cannot show this."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from dialogs.opsn.push_buttons import ProposalAccept, ProposalNoReason, PushQuestion
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from storage.models import ActionItem, OutboxMessage, RecommendationProposal
from tests.dialogs.opsn.steps import CONFIG, NOW, SIRET, add_opsn, last_payload, make_referent
from tests.dialogs.opsn.test_concurrency import inbox, user_id
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button


async def test_accept_and_decline_at_once_leave_one_outcome(
    db_url: str, referential: Referential
) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    svc = ChatService(SqlDatabase(sessions), referential, CONFIG, lambda: NOW)
    try:
        root, admin, second, ref = (
            ChatDriver.for_user(svc, k, n)
            for k, n in [
                ("root", "Déclic"),
                ("admin", "Camille"),
                ("second", "Dominique"),
                ("ref", "Romane"),
            ]
        )
        await add_opsn(root, "Opérateur Occitan ; occitan ; 31")
        await make_referent(root, ref, "Opérateur Occitan")
        await admin.register(siret=SIRET, name="Commune de Beauvoir", dep="31")
        await admin.say("/equipe")
        await admin.press("Inviter")
        await second.say(f"/start {last_payload(admin)}")
        await admin.tap("tm:adm:" + str(user_id(sessions, "second")))
        await admin.say("/rattachement")
        await admin.press("Opérateur Occitan")
        await admin.press("Envoyer la demande")
        await ref.tap(button(inbox(sessions, "ref")[-1], "Accepter"))

        q = next(q for q in referential.level_questions(1) if q.recommendation is not None)
        await ref.say("/collectivites")
        await ref.press("Proposer une action")
        await ref.press("Commune de Beauvoir")
        await ref.press("Catalogue")
        await ref.tap(PushQuestion(1, q.id).pack())
        await ref.press("Sans échéance")
        await ref.press("Envoyer")
        assert "Proposition envoyée à 1 collectivité" in ref.text()
        for person in ("admin", "second"):  # both administrators are told, once each
            assert sum("propose une action" in r.text for r in inbox(sessions, person)) == 1

        await asyncio.gather(
            admin.tap(ProposalAccept(1).pack()), second.tap(ProposalNoReason(1).pack())
        )
        with sessions() as session:
            (status,) = session.scalars(select(RecommendationProposal.status)).all()
            items = session.scalars(select(ActionItem.question_id)).all()
            outcomes = session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.key.startswith("push-outcome:"))
            ).all()
        assert status in ("accepted", "declined")
        assert list(items) == ([q.id] if status == "accepted" else [])
        assert len(outcomes) == 1
        texts = admin.text() + second.text()
        assert "déjà été" in texts
    finally:
        svc.close()
        engine.dispose()
