"""Due dates: quick picks and typed French dates.

Through the service on the fake store (tests/dialogs/plan/conftest.py)."""

from __future__ import annotations

from referential.models import Referential
from tests.dialogs.plan.steps import item_id, item_row
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.plan import answer


async def test_due_dates_quick_picks_and_typed_french_dates(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await answer(alice, referential, {"GOV-03": "non"})
    item = item_id(fake_db, "GOV-03")
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
    assert item_row(fake_db, item)["due_date"] == "2026-12-07"
    # The French ways of writing a date, as people type them.
    for typed, stored in (
        ("15/3/27", "2027-03-15"),
        ("15 mars 2027", "2027-03-15"),
        ("2027-03-15", "2027-03-15"),
        ("fin juin", "2027-06-30"),
    ):
        await alice.tap(f"p:dd:{item}:t")
        await alice.say(typed)
        assert item_row(fake_db, item)["due_date"] == stored, typed
    await alice.tap(f"p:d:{item}")
    await alice.press("Retirer")
    assert "Échéance : aucune" in alice.text()


async def test_a_due_date_on_a_holiday_or_weekend_gets_a_gentle_note(
    alice: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    """Issue 17: the date is kept, with a word about the day off (French public holidays)."""
    await answer(alice, referential, {"GOV-03": "non"})
    item = item_id(fake_db, "GOV-03")
    for typed, note in (
        ("14/07/2027", "jour férié : Fête nationale"),
        ("13/03/2027", "un week-end"),
        ("15/03/2027", ""),
    ):
        await alice.tap(f"p:dd:{item}:t")
        await alice.say(typed)
        toast = alice.last.toast if alice.last is not None else None
        assert toast is not None and ("(" not in toast if not note else note in toast), toast
