"""Concurrent attachment requests and decisions, on real SQL (SQLite, and PostgreSQL when set).

This test stays on SQL on purpose: it checks what row locks and optimistic versions guarantee when
events of several people run at once (four workers on PostgreSQL), which the fake store, taking
units of work in turns, cannot show. Everything else about attachments runs on the fake store.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.replies import Reply
from ecoclic.service import ChatService
from referential.models import Referential
from storage.database import SqlDatabase
from storage.db import create_engine, session_factory
from storage.models import Attachment, OutboxMessage, User
from tests.dialogs.opsn.steps import CONFIG, NOW, SIRET, add_opsn, last_payload, make_referent
from tests.helpers.chat import ChatDriver
from tests.helpers.outbox import button


def user_id(sessions: sessionmaker[Session], external_id: str) -> int:
    with sessions() as session:
        found = session.scalar(select(User.id).where(User.external_id == external_id))
        assert found is not None
        return int(found)


def inbox(sessions: sessionmaker[Session], external_id: str) -> list[Reply]:
    with sessions() as session:
        rows = session.scalars(
            select(OutboxMessage.payload)
            .join(User, User.id == OutboxMessage.user_id)
            .where(User.external_id == external_id)
            .order_by(OutboxMessage.id)
        )
        return [Reply.from_json(payload) for payload in rows]


async def test_concurrent_requests_and_decisions_leave_one_outcome(
    db_url: str, referential: Referential
) -> None:
    """Two administrators ask two OPSN at the same instant; two referents accept at once."""
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    svc = ChatService(SqlDatabase(sessions), referential, CONFIG, lambda: NOW)
    try:
        root, admin, second = (
            ChatDriver.for_user(svc, k, n)
            for k, n in [("root", "Déclic"), ("admin", "Camille"), ("second", "Dominique")]
        )
        ref, ref2 = (
            ChatDriver.for_user(svc, "ref", "Romane"),
            ChatDriver.for_user(svc, "ref2", "Sacha"),
        )
        await add_opsn(root, "Opérateur Occitan ; occitan ; 31")
        await add_opsn(root, "Opérateur Voisin ; voisin ; 31")
        await make_referent(root, ref, "Opérateur Occitan")
        await make_referent(root, ref2, "Opérateur Occitan")
        await make_referent(root, ref, "Opérateur Voisin")
        await make_referent(root, ref2, "Opérateur Voisin")
        await admin.register(siret=SIRET, name="Commune de Beauvoir", dep="31")
        await admin.say("/equipe")
        await admin.press("Inviter")
        await second.say(f"/start {last_payload(admin)}")
        await admin.tap("tm:adm:" + str(user_id(sessions, "second")))

        await asyncio.gather(admin.tap("at:send:1"), second.tap("at:send:2"))
        with sessions() as session:
            rows = list(session.scalars(select(Attachment)))
        assert len(rows) == 1 and rows[0].status == "pending"

        notice = inbox(sessions, "ref")[-1]
        await asyncio.gather(
            ref.tap(button(notice, "Accepter")), ref2.tap(button(notice, "Accepter"))
        )
        texts = ref.text() + ref2.text()
        assert texts.count("accompagne désormais") == 1 and "déjà été acceptée" in texts
        for person in ("admin", "second"):
            decisions = [r for r in inbox(sessions, person) if "a accepté d’accompagner" in r.text]
            assert len(decisions) == 1
    finally:
        svc.close()
        engine.dispose()
