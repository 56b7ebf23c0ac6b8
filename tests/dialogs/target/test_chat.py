"""/cible: pick a letter or an index and a deadline, see the actions that reach it, remove it."""

from __future__ import annotations

from datetime import date

from dialogs.target.buttons import TargetLetter, TargetSet
from ecoclic.service import ChatService
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


async def answered(service: ChatService) -> ChatDriver:
    alice = ChatDriver.for_user(service, "alice", "Alice")
    await alice.register()
    for _ in range(6):
        await alice.say("non")
    return alice


async def test_a_letter_target_lists_the_actions_that_reach_it(
    service: ChatService, fake_db: FakeDatabase
) -> None:
    alice = await answered(service)
    await alice.say("/cible")
    assert "Pas encore de cible" in alice.text()
    labels = [b.label for b in alice.buttons()]
    assert labels[0] == "Lettre D" and "Lettre A" in labels  # E → A, above the current index
    assert all(len(label) <= 20 for label in labels)
    await alice.press("Lettre D")
    assert "Cible : lettre D. Pour quand ?" in alice.text()
    assert [b.label for b in alice.buttons()][:4] == [
        "Dans 6 mois",
        "Dans 1 an",
        "Dans 2 ans",
        "Dans 3 ans",
    ]
    outcome = await alice.press("Dans 1 an")
    assert outcome.toast == "Cible enregistrée." and outcome.replies[0].edit
    text = alice.text()
    assert "Votre cible : lettre D d’ici le" in text
    assert "il suffit de réaliser" in text and "• n° " in text
    (row,) = fake_db.rows("targets")
    assert (row["grade"], row["index"]) == ("D", None)
    assert date.fromisoformat(row["due_date"]) > date(2026, 1, 1)
    await alice.press("Supprimer la cible")
    assert fake_db.rows("targets") == []
    assert "Pas encore de cible" in alice.text()


async def test_an_index_target_is_typed_and_bad_input_is_refused(
    service: ChatService, fake_db: FakeDatabase
) -> None:
    alice = await answered(service)
    await alice.say("/cible soixante")
    assert "n’est pas un indice entre 1 et 100" in alice.text()
    await alice.say("/cible 0")
    assert "n’est pas un indice entre 1 et 100" in alice.text()
    await alice.say("/cible 70/100")
    assert "Cible : indice 70. Pour quand ?" in alice.text()
    await alice.press("Dans 3 ans")
    assert "Votre cible : indice 70" in alice.text()
    for forged in (
        TargetSet(grade="Z", months=12).pack(),
        TargetSet(index=70, months=5).pack(),
        TargetLetter(grade="B", index=40).pack(),
        "tg:s:B:0:999999999999",
    ):
        outcome = await alice.tap(forged)
        assert outcome.replies and "plus valable" in alice.text()
    (row,) = fake_db.rows("targets")
    assert (row["grade"], row["index"]) == (None, 70)


async def test_strangers_have_no_target(service: ChatService) -> None:
    bob = ChatDriver.for_user(service, "bob", "Bob")
    await bob.say("/cible")
    assert "inscrire votre collectivité" in bob.text()
    await bob.tap(TargetSet(grade="B", months=12).pack())
    assert "inscrire votre collectivité" in bob.text()
