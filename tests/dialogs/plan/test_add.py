"""« ➕ Ajouter une action »: the team adds an action of its own, step by step; bad input is
refused with a reason, nothing is stored before « Enregistrer », and only once.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Priority, Referential
from tests.dialogs.plan.steps import join_team
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_data import Row
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer

TITLE = "Éteindre les écrans le soir"


def own_rows(db: FakeDatabase) -> list[Row]:
    return [r for r in db.rows("action_items") if r["question_id"] is None]


def data_of(driver: ChatDriver, label: str) -> str:
    found = [b.data for b in driver.buttons() if b.label == label]
    assert found, (label, [b.label for b in driver.buttons()])
    return found[0]


async def test_an_own_action_is_added_step_by_step(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    bruno = ChatDriver.for_user(alice.service, "bruno", "Bruno")
    bruno_id = await join_team(fake_db, bruno, "alice")
    await answer(alice, referential, {"PAR-02": "non"})
    await alice.say("/plan")
    # Typed steps say so (a channel numbering its buttons then reads « 1 » as text).
    assert (await alice.press("➕ Ajouter une action")).expects_text
    assert "(1/6)" in alice.text()
    await alice.say("  ")  # an empty title: the engine says so, the flow waits on
    assert "vide" in alice.text()
    await alice.say("  ab ")
    assert "trop court" in alice.text()
    await alice.say("x" * 500)
    assert "trop long" in alice.text() and "500" in alice.text()
    assert not (await alice.say(f"  {TITLE}  ")).expects_text  # the theme: buttons
    assert "(2/6)" in alice.text()
    await alice.say("Gouvernance")  # a button step: typed text is not a theme
    assert "Choisissez avec les boutons" in alice.text() and "(2/6)" in alice.text()
    theme = referential.level_themes(1)[2]
    await alice.press(theme.title[:27] if len(theme.title) <= 28 else theme.title[:27] + "…")
    assert "(3/6)" in alice.text()
    await alice.press("Nécessaire")
    assert "(4/6)" in alice.text()
    await alice.say("Une affichette près de chaque poste.")
    assert "(5/6)" in alice.text()
    await alice.press("Bruno")
    assert "(6/6)" in alice.text()
    await alice.say("31/02/2027")
    assert "Je n’ai pas reconnu" in alice.text() or "n’existe pas" in alice.text()
    await alice.say("15/03/2027")
    review = alice.text()
    assert TITLE in review and theme.title in review and "Bruno" in review
    assert "15 mars 2027" in review and not own_rows(fake_db)  # nothing stored yet
    save = data_of(alice, "Enregistrer")
    await alice.tap(save)
    assert "Action de l’équipe" in alice.text() and TITLE in alice.text()
    await alice.tap(save)  # a double tap: still one item
    (row,) = own_rows(fake_db)
    assert (row["origin"], row["title"], row["theme_id"]) == ("team", TITLE, theme.id)
    assert row["priority"] == referential.weights[Priority.NECESSAIRE]
    assert (row["assignee_id"], row["due_date"]) == (bruno_id, "2027-03-15")
    assert row["details"] == "Une affichette près de chaque poste."
    assert any("Alice vous a confié" in n.text and TITLE in n.text for n in fake_db.inbox("bruno"))
    # The action lives in the plan with a stable label, and « réalisé » offers no answer update.
    await alice.say("/plan")
    assert f"n° E{row['id']}" in alice.text() and TITLE in alice.text()
    await alice.tap(f"p:s:{row['id']}:r")
    assert "Statut : Réalisé" in alice.text() and "Mettre à jour la réponse" not in alice.text()
    await alice.tap(f"p:y:{row['id']}")  # a forged « update the answer »: nothing to update
    assert "pas de réponse à mettre à jour" in alice.text()


async def test_cancel_and_stale_buttons_store_nothing(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await alice.say("/plan")
    await alice.press("➕ Ajouter une action")
    await alice.say(TITLE)
    theme_button = alice.buttons()[0].data
    await alice.say("/annuler")
    assert "Rien n’a été enregistré" in alice.text()
    await alice.tap(theme_button)  # a button of the cancelled draft
    assert "Ce bouton n’est plus valable" in alice.text()
    # A new draft: forged buttons never move it on.
    await alice.tap("p:na")
    await alice.say(TITLE)
    first_theme = alice.buttons()[0].data
    draft = first_theme.split(":")[2]
    for forged in (
        f"p:nt:{draft}:NOPE",  # an unknown theme
        f"p:nt:{int(draft) + 1}:GOV",  # another draft's number
        f"p:np:{draft}:p",  # the priority step is not there yet
        f"p:ns:{draft}:t",  # « Passer » on the title
        f"p:nk:{draft}",  # « Enregistrer » before the confirmation
        "p:nt:abc:GOV",
    ):
        await alice.tap(forged)
        assert "Ce bouton n’est plus valable" in alice.text(), forged
    await alice.tap(first_theme)
    await alice.press("Prioritaire")
    await alice.press("Passer")
    await alice.press("Plus tard")
    await alice.press("Plus tard")
    assert "à désigner" in alice.text() and "Échéance : aucune" in alice.text()
    await alice.press("Corriger")
    await alice.press("Titre")
    await alice.say("Trier les câbles")
    assert "Trier les câbles" in alice.text() and "Enregistrer" in [
        b.label for b in alice.buttons()
    ]
    await alice.press("Annuler")
    assert "Rien n’a été enregistré" in alice.text()
    assert not own_rows(fake_db)
    assert not [r for r in fake_db.rows("action_events")]
