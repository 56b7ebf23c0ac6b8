"""A small world for the web summary tests, built through the storage functions the chat uses.

Beauvoir (commune, 1 200 inhabitants, dép. 31) has a team of two and a half-filled questionnaire;
six other communes of the same band have answered (so peers show); Occitan (an OPSN) follows
Beauvoir and the six, and has a pending request from Autreville; Lointain follows Lointaine only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from dialogs.records import ItemStatus, NewCollectivite, Role, ScoreRecord
from ecoclic.app import web_app
from ecoclic.settings import Settings
from referential.models import Referential
from referential.scoring import score
from storage.models import User
from storage.store import SqlStore
from web_summary.links import LinkSigner, secret_key

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PUBLIC_URL = "http://testserver"
BEAUVOIR = "onsonnso--------"  # half the questionnaire answered (see answers_for)


@dataclass
class World:
    settings: Settings
    sessions: sessionmaker[Session]
    ref: Referential
    app: FastAPI
    signer: LinkSigner
    secret: str
    users: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)  # collectivité ids
    opsn: dict[str, int] = field(default_factory=dict)

    def url(self, kind: str, target: str, role: str, user: str | None = None) -> str:
        """Path (no host) of a fresh link, e.g. url("c", "beauvoir", "admin", "camille")."""
        target_id = self.places[target] if kind == "c" else self.opsn[target]
        full = self.signer.url(kind, target_id, role, self.users[user] if user else None)
        return full.removeprefix(PUBLIC_URL)

    def token(self, kind: str, target: str, role: str, user: str | None = None) -> str:
        return self.url(kind, target, role, user).strip("/").split("/")[1]

    @asynccontextmanager
    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
            yield client


def answers_for(ref: Referential, pattern: str) -> dict[str, str]:
    """One answer per level-1 question from a pattern of o/n/s/- (oui, non, nsp, none), cycled."""
    values = {"o": "oui", "n": "non", "s": "nsp"}
    out: dict[str, str] = {}
    for i, q in enumerate(ref.level_questions(1)):
        code = pattern[i % len(pattern)]
        if code in values:
            out[q.id] = q.options[-1].id if q.options and code == "o" else values[code]
    return out


def add_user(session: Session, key: str, name: str) -> int:
    user = User(
        channel="test",
        external_id=key,
        chat_id=key,
        display_name=name,
        language_code="fr",
        locale=None,
        reminders_paused=False,
        unreachable=False,
        created_at=NOW,
    )
    session.add(user)
    session.flush()
    return user.id


def add_collectivite(
    session: Session,
    ref: Referential,
    *,
    siret: str,
    name: str,
    admin: int,
    answers: dict[str, str],
    population: int = 1200,
    departement: str = "31",
    kind: str = "commune",
    when: datetime = NOW,
) -> int:
    """Register, answer one question at a time (a score point each, one day apart), as the chat does."""
    store = SqlStore(session)
    created = store.people.create_collectivite(
        NewCollectivite(siret, kind, name, departement, population), admin, when
    )
    given: dict[str, str] = {}
    for step, (qid, value) in enumerate(answers.items()):
        at = when + timedelta(days=step)
        store.answers.set(
            created.id, qid, value, referential_version=ref.version, user_id=admin, now=at
        )
        given[qid] = value
        s = score(ref, given)
        record = ScoreRecord(s.index, s.grade, s.progress.answered, s.progress.total)
        store.answers.record_score(created.id, record, user_id=admin, now=at)
    return created.id


@contextmanager
def build_world(url: str, ref: Referential) -> Iterator[World]:
    """A world on the database at `url` (already migrated), its engine disposed afterwards."""
    from storage.db import create_engine, session_factory

    engine = create_engine(url)
    sessions = session_factory(engine)
    settings = Settings(database_url=url, public_url=PUBLIC_URL)
    secret = secret_key(sessions)
    world = World(
        settings=settings,
        sessions=sessions,
        ref=ref,
        app=web_app(settings, sessions, ref),
        signer=LinkSigner(secret, PUBLIC_URL),
        secret=secret,
    )
    with sessions() as session, session.begin():
        for key, name in [
            ("camille", "Camille"),
            ("dominique", "Dominique"),
            ("romane", "Romane"),
            ("lou", "Lou"),
            ("sam", "Sam"),
        ]:
            world.users[key] = add_user(session, key, name)
        u = world.users
        world.places["beauvoir"] = add_collectivite(
            session,
            ref,
            siret="21310555400017",
            name="Commune de Beauvoir",
            admin=u["camille"],
            answers=answers_for(ref, BEAUVOIR),
        )
        store = SqlStore(session)
        store.people.add_member(world.places["beauvoir"], u["dominique"], Role.MEMBER, NOW)
        for i, pattern in enumerate(["o", "n", "on", "oon", "onn", "ooon"]):
            admin = add_user(session, f"peer{i}", f"Agent {i}")
            world.places[f"peer{i}"] = add_collectivite(
                session,
                ref,
                siret=f"2131000000{i:04d}",
                name=f"Commune paire {i}",
                admin=admin,
                answers=answers_for(ref, pattern),
                population=600 + 100 * i,
            )
        world.places["autreville"] = add_collectivite(
            session,
            ref,
            siret="21600057000012",
            name="Autreville",
            admin=u["sam"],
            answers={},
            population=12_000,
        )
        lointaine_admin = add_user(session, "lointaine", "Lo")
        world.places["lointaine"] = add_collectivite(
            session,
            ref,
            siret="21600000000099",
            name="Lointaine",
            admin=lointaine_admin,
            answers=answers_for(ref, "o"),
            departement="60",
        )

        opsn = store.opsn
        occitan, _ = opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
        lointain, _ = opsn.save_opsn("lointain", "Opérateur Lointain", ("60",), NOW)
        world.opsn = {"occitan": occitan.id, "lointain": lointain.id}
        opsn.add_referent(occitan.id, u["romane"], NOW)
        opsn.add_referent(lointain.id, u["lou"], NOW)
        for key in ["beauvoir", *(f"peer{i}" for i in range(6))]:
            request = opsn.request_attachment(world.places[key], occitan.id, u["camille"], NOW)
            opsn.decide_attachment(request.id, True, u["romane"], NOW)
        opsn.request_attachment(world.places["autreville"], occitan.id, u["sam"], NOW)
        far = opsn.request_attachment(world.places["lointaine"], lointain.id, u["lou"], NOW)
        opsn.decide_attachment(far.id, True, u["lou"], NOW)

        # The action plan stored a status for one recommendation of Beauvoir.
        plan = store.plan
        given = answers_for(ref, BEAUVOIR)
        first_open = next(q for q in ref.level_questions(1) if given.get(q.id) == "non")
        item = plan.create_item(
            world.places["beauvoir"], first_open.id, actor_id=u["camille"], now=NOW
        )
        plan.update_item(
            item.id,
            {
                "status": ItemStatus.EN_COURS,
                "assignee_id": u["dominique"],
                "due_date": date(2027, 1, 15),
            },
            actor_id=u["camille"],
            now=NOW,
        )
    try:
        yield world
    finally:
        engine.dispose()
