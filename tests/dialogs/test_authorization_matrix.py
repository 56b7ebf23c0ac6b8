"""The authorization matrix: every button family, pressed with the ids of collectivité A's
records, by a stranger, a member (administrator) of another collectivité, a former member of A and
a referent of another OPSN. None of them may change anything of A's, nor read any of it.

Buttons are built from the router itself, so a new family is in the matrix the day it is added.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import fields
from enum import StrEnum
from typing import Any

import pytest

from dialogs.callbacks import CallbackData
from dialogs.context import EngineConfig
from dialogs.engine import ROUTER
from dialogs.events import Sender
from dialogs.ports import Transaction
from dialogs.privacy.buttons import EraseMeConfirmed
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.team.steps import OTHER_SIRET, ask_to_join, invite
from tests.helpers.chat import ChatDriver
from tests.helpers.contract import NOW
from tests.helpers.fake_store import FakeDatabase

A_NAME = "Commune Alpha"
A_PEOPLE = ("Alix", "Camille")
PERSONAS = ("stranger", "other_member", "former_member", "other_referent")


class World:
    """Collectivité A (admin Alix, member Camille, an action, an invitation, a join request, an
    attachment request to OPSN 1), collectivité B (admin Olga), the former member Fanny, the
    referent of OPSN 2 Rémi, and a stranger."""

    def __init__(self, db: FakeDatabase, service: ChatService) -> None:
        self.db = db
        self.service = service
        self.ids: dict[str, int] = {}
        self.people: dict[str, ChatDriver] = {}

    def driver(self, key: str, name: str) -> ChatDriver:
        self.people[key] = ChatDriver.for_user(self.service, key, name)
        return self.people[key]

    async def build(self, ref: Referential) -> None:
        alix = self.driver("a1", "Alix")
        await alix.register(name=A_NAME)
        camille = self.driver("c1", "Camille")
        await camille.say("/start " + await invite(alix))
        first = ref.level_questions(1)[0]
        await camille.say("/questionnaire")
        await camille.tap(f"a:{first.id}:non")
        fanny = self.driver("f1", "Fanny")
        await fanny.say("/start " + await invite(alix))
        await fanny.say("/equipe")
        await fanny.press("Quitter l’équipe")
        await fanny.press("Oui, quitter")
        await invite(alix)  # pending
        await ask_to_join(self.driver("j1", "Jules"))
        olga = self.driver("o1", "Olga")
        await olga.register(OTHER_SIRET, name="Commune Beta")
        self.driver("s1", "Sam")
        self.driver("r2", "Rémi")

        def attach(tx: Transaction) -> None:
            one, _ = tx.store.opsn.save_opsn("un", "Opérateur Un", ("31",), NOW)
            two, _ = tx.store.opsn.save_opsn("deux", "Opérateur Deux", ("60",), NOW)
            for key, opsn in (("r1", one), ("r2", two)):
                referent = tx.user_for(Sender("test", key, key, key.upper()), NOW)
                tx.store.opsn.add_referent(opsn.id, referent.id, NOW)
            alix_id = tx.user_for(Sender("test", "a1", "a1", "Alix"), NOW).id
            member = tx.store.people.membership(alix_id)
            assert member is not None
            request = tx.store.opsn.request_attachment(member.collectivite.id, one.id, alix_id, NOW)
            (item,) = tx.store.plan.items(member.collectivite.id)
            self.ids.update(
                collectivite_id=member.collectivite.id,
                attachment_id=request.id,
                opsn_id=one.id,
                item_id=item.id,
                user_id=self.db.user_id("c1"),
            )

        self.db.run(attach)
        self.ids["invitation_id"] = max(r["id"] for r in self.db.rows("invitations"))
        self.ids["request_id"] = self.db.rows("join_requests")[0]["id"]
        self.question = first.id
        self.theme = first.theme
        for key in ("a1", "c1", "f1", "o1", "r2"):
            assert self.db.user_id(key)

    def a_state(self, *, outbox: bool = True) -> str:
        """Everything of A's, as JSON: a press that changes it broke the matrix. (`outbox=False`:
        without the notifications to A's people, which an outsider erasing their own data may
        rightly change: their name is taken out of them.)"""
        cid, uids = self.ids["collectivite_id"], {self.db.user_id("a1"), self.db.user_id("c1")}
        items = {r["id"] for r in self.db.rows("action_items") if r["collectivite_id"] == cid}
        state: dict[str, Any] = {
            table: [r for r in self.db.rows(table) if r.get("collectivite_id") == cid]
            for table in (
                "memberships", "answers", "answer_history", "score_snapshots", "action_items",
                "invitations", "join_requests", "attachments",
            )
        }  # fmt: skip
        state["collectivite"] = [r for r in self.db.rows("collectivites") if r["id"] == cid]
        state["events"] = [r for r in self.db.rows("action_events") if r["action_item_id"] in items]
        state["users"] = [r for r in self.db.rows("users") if r["id"] in uids]
        if outbox:
            state["outbox"] = [r for r in self.db.rows("outbox") if r["user_id"] in uids]
        one = self.ids["opsn_id"]
        state["referents"] = [r for r in self.db.rows("referents") if r["opsn_id"] == one]
        state["opsn"] = self.db.rows("opsn")
        return json.dumps(state, sort_keys=True)

    def persona(self, name: str) -> ChatDriver:
        return self.people[{"stranger": "s1", "other_member": "o1", "former_member": "f1",
                            "other_referent": "r2"}[name]]  # fmt: skip


def field_values(world: World, name: str, kind: type, optional: bool) -> list[Any]:
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return list(kind)
    if kind is bool:
        return [True, False]
    if kind is int:
        if name in world.ids:
            return [world.ids[name]]
        return [None] if optional else [0]
    return {
        "question_id": [world.question],
        "theme_id": [world.theme],
        "value": ["non"],
        "code": ["en"],
        "filters": [""],
    }.get(name, ["x"])


def presses(world: World) -> list[str]:
    """One button per family and combination of enum values, aimed at A's records."""
    found: list[str] = []
    for route in ROUTER.buttons.values():
        family: type[CallbackData] = route.family
        specs = family.__fields__
        choices = [field_values(world, f.name, f.kind, f.optional) for f in specs]
        for combo in itertools.product(*choices):
            found.append(
                family(**dict(zip([f.name for f in fields(family)], combo, strict=True))).pack()
            )  # type: ignore[arg-type]
    return sorted(set(found))


@pytest.fixture
def svc(fake_db: FakeDatabase, referential: Referential) -> Iterator[ChatService]:
    service = ChatService(fake_db, referential, EngineConfig(bot_username="ecoclic_test_bot"))
    yield service
    service.close()


@pytest.mark.parametrize("persona", PERSONAS)
async def test_outsiders_change_and_see_nothing_of_a(
    persona: str, fake_db: FakeDatabase, svc: ChatService, referential: Referential
) -> None:
    world = World(fake_db, svc)
    await world.build(referential)
    who = world.persona(persona)
    data = presses(world)
    assert len(data) >= len(ROUTER.buttons)
    broken: list[str] = []
    # Erasing oneself comes last: it acts on the presser's own data only.
    own_erasure = EraseMeConfirmed().pack()
    for button in sorted(data, key=lambda d: d == own_erasure):
        outbox = button != own_erasure
        before = world.a_state(outbox=outbox)
        outcome = await who.tap(button)
        seen = "\n".join(r.text for r in outcome.replies) + (outcome.toast or "")
        leaked = [word for word in (A_NAME, *A_PEOPLE) if word in seen]
        if world.a_state(outbox=outbox) != before:
            broken.append(f"{button}: changed A's data")
        if leaked:
            broken.append(f"{button}: showed {leaked}: {seen[:200]!r}")
        await who.say("/annuler")
    assert broken == []


async def test_the_matrix_sees_changes_made_by_an_insider(
    fake_db: FakeDatabase, svc: ChatService, referential: Referential
) -> None:
    """The same presses by A's administrator do change A's data: the matrix can see a change."""
    world = World(fake_db, svc)
    await world.build(referential)
    alix = world.people["a1"]
    changed = []
    for button in presses(world):
        if button == EraseMeConfirmed().pack():
            continue
        before = world.a_state()
        await alix.tap(button)
        if world.a_state() != before:
            changed.append(button.split(":")[0])
        await alix.say("/annuler")
    assert {"tm", "jr", "p", "at"} <= set(changed), changed
