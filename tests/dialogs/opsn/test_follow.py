"""/collectivites: a referent's followed collectivités, paged, and the pick of a follow-up to end."""

from __future__ import annotations

import pytest
from stdnum.fr import siret as stdnum_siret

from dialogs.opsn import follow
from tests.dialogs.opsn.steps import request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button


def sirets(count: int) -> list[str]:
    """Valid SIRET numbers: other establishments (NIC) of the SIREN the other tests use."""
    found: list[str] = []
    nic = 100
    while len(found) < count:
        nic += 1
        if stdnum_siret.is_valid(candidate := f"213105554{nic:05}"):
            found.append(candidate)
    return found


async def test_followed_collectivites_are_paged(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(follow, "PAGE", 2)  # pages of two: three collectivités make two pages
    ref = world["ref"]
    svc = ref.service
    for number, siret in enumerate(sirets(3), 1):
        admin = ChatDriver.for_user(svc, f"a{number}", f"Admin {number}")
        await admin.register(siret=siret, name=f"Commune {number:02}", dep="31")
        await request_attachment(admin)
        await ref.tap(button(fake_db.inbox("ref")[-1], "Accepter"))
        assert "accompagne désormais" in ref.text()

    await ref.say("/collectivites")
    first = ref.text()
    assert "Collectivités accompagnées par Opérateur Occitan (3) : page 1/2" in first
    assert "\n2. " in first and "\n3. " not in first
    assert [(b.label, b.data) for b in ref.buttons()] == [
        ("Suivantes ▶", "at:l:1:1"),
        ("Consulter une fiche", "sv:p:1:0"),
        ("Proposer une action", "pu:go:1"),
        ("Mettre fin à un suivi", "at:ends:1:0"),
        ("Propositions envoyées", "pu:l:1"),
    ]
    await ref.press("Suivantes")
    second = ref.text()
    assert "page 2/2" in second and "\n3. " in second and "\n1. " not in second
    assert [(b.label, b.data) for b in ref.buttons()] == [
        ("◀ Précédentes", "at:l:1:0"),
        ("Consulter une fiche", "sv:p:1:1"),
        ("Proposer une action", "pu:go:1:1"),
        ("Mettre fin à un suivi", "at:ends:1:1"),
        ("Propositions envoyées", "pu:l:1"),
    ]
    await ref.tap("at:l:1:7")  # a page that no longer exists: the last one
    assert "page 2/2" in ref.text()
    await ref.press("Mettre fin à un suivi")
    assert len(ref.buttons()) == 1 and ref.buttons()[0].data.startswith("at:end:")
    await ref.tap("at:l:1:0")
    assert "page 1/2" in ref.text()


async def test_another_opsn_page_is_refused(world: dict[str, ChatDriver]) -> None:
    far = world["far"]
    for data in ("at:l:1:0", "at:ends:1:0"):
        await far.tap(data)
        assert "réservée aux référents de l’OPSN concerné" in far.text(), data
    await far.tap("at:l:2:0")
    assert "Opérateur Lointain n’accompagne encore aucune collectivité" in far.text()
