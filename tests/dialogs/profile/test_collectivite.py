"""Issue 16 item 5 and issue 17's /collectivite: one person in several collectivités.

A secrétaire de mairie serves two communes: she switches between them, answers for each, acts on a
reminder of the inactive one, cannot switch to a commune she does not belong to, and loses access
to a commune that removed her. An administrator corrects the population with forgiving input.
"""

from __future__ import annotations

from dialogs.plan.buttons import ItemButton
from dialogs.profile.buttons import ProfileEdit, ProfileField, ProfileSwitch
from dialogs.reminders.buttons import Done
from dialogs.team.buttons import TeamRemoveConfirmed
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.team.steps import OTHER_SIRET, SIRET, invite
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

THIRD_SIRET = "21130055300016"
RIVIERE, MONT = "Commune de Rivière", "Commune du Mont"


def collectivite_id(db: FakeDatabase, name: str) -> int:
    (found,) = [r["id"] for r in db.rows("collectivites") if r["name"] == name]
    return int(found)


def answers_of(db: FakeDatabase, name: str) -> dict[str, str]:
    cid = collectivite_id(db, name)
    return {r["question_id"]: r["value"] for r in db.rows("answers") if r["collectivite_id"] == cid}


async def two_communes(svc: ChatService) -> tuple[ChatDriver, ChatDriver, ChatDriver]:
    """Two mayors, and a secrétaire de mairie invited by both (Mont joined last: active)."""
    riviere = ChatDriver.for_user(svc, "m1", "Ana")
    mont = ChatDriver.for_user(svc, "m2", "Bruno")
    sec = ChatDriver.for_user(svc, "s1", "Sophie")
    await riviere.register(siret=SIRET, name=RIVIERE)
    await mont.register(siret=OTHER_SIRET, name=MONT, dep="60")
    await sec.say(f"/start {await invite(riviere)}")
    await sec.say(f"/start {await invite(mont)}")
    assert sec.text().startswith(f"🏛 {MONT}\nBienvenue dans l’équipe de {MONT}")
    return riviere, mont, sec


async def test_secretaire_switches_and_answers_in_each(
    svc: ChatService, fake_db: FakeDatabase, referential: Referential
) -> None:
    riviere, _mont, sec = await two_communes(svc)
    first, second = referential.level_questions(1)[:2]

    await sec.say("/collectivite")
    screen = sec.text()
    assert screen.startswith(f"🏛 {MONT}\n")
    assert f"✅ {MONT} (membre)" in screen and f"• {RIVIERE} (membre)" in screen
    assert "Seuls ses administrateurs" in screen  # a member reads the profile, no « Modifier »
    assert [b.label for b in sec.buttons()] == [f"Passer à {RIVIERE}", "➕ Autre collectivité"]

    await sec.tap(f"a:{first.id}:oui")
    assert sec.text().startswith(f"🏛 {MONT}\n")
    assert answers_of(fake_db, MONT) == {first.id: "oui"} and answers_of(fake_db, RIVIERE) == {}

    await sec.say("/collectivite")
    await sec.press("Passer à")
    assert sec.text().startswith(f"🏛 {RIVIERE}\nVous travaillez maintenant pour {RIVIERE}.")
    assert sec.last is not None and sec.last.toast == f"Collectivité active : {RIVIERE}"
    await sec.tap(f"a:{second.id}:non")
    assert answers_of(fake_db, RIVIERE) == {second.id: "non"}
    assert answers_of(fake_db, MONT) == {first.id: "oui"}
    await sec.say("/score")
    assert sec.text().startswith(f"🏛 {RIVIERE}\n")

    # The mayor of Rivière, in one collectivité only, sees no header.
    await riviere.say("/score")
    assert "🏛" not in riviere.text()


async def test_reminder_of_the_inactive_collectivite_acts_on_it(
    svc: ChatService, fake_db: FakeDatabase, referential: Referential
) -> None:
    riviere, _mont, sec = await two_communes(svc)
    q = next(q for q in referential.level_questions(1) if q.advice().resources)
    await riviere.tap(f"a:{q.id}:non")  # Rivière's plan now has an action for q
    (item,) = [r for r in fake_db.rows("action_items") if r["question_id"] == q.id]
    assert item["collectivite_id"] == collectivite_id(fake_db, RIVIERE)

    await riviere.tap(ItemButton(item["id"]).pack())
    await riviere.press("Attribuer")
    await riviere.press("Sophie")  # the notification names Rivière: Sophie has two communes
    assert fake_db.last_text("s1").startswith(f"🏛 {RIVIERE}\nAna vous a confié une action")
    await sec.tap(Done(item["id"]).pack())  # Mont is active; the reminder is Rivière's
    assert sec.text().startswith(f"🏛 {RIVIERE}\n")
    (done,) = [r for r in fake_db.rows("action_items") if r["id"] == item["id"]]
    assert done["status"] == "realise"
    await sec.press("Oui, mettre à jour")  # the answer updated is Rivière's, not Mont's
    assert answers_of(fake_db, RIVIERE)[q.id] == "oui"
    assert q.id not in answers_of(fake_db, MONT)
    await sec.say("/plan")
    assert sec.text().startswith(f"🏛 {MONT}\n")  # still working for Mont

    # Removed from Rivière, she may no longer touch its plan, whatever she holds.
    sec_id = fake_db.user_id("s1")
    await riviere.tap(TeamRemoveConfirmed(sec_id).pack())
    await sec.tap(ItemButton(item["id"]).pack())
    assert "ne concerne pas votre collectivité" in sec.text()
    await sec.tap(Done(item["id"]).pack())
    assert "ne concerne pas votre collectivité" in sec.text()
    await sec.tap(ProfileSwitch(collectivite_id(fake_db, RIVIERE)).pack())
    assert "ne faites pas (ou plus) partie" in sec.text()


async def test_forged_switch_is_refused(svc: ChatService, fake_db: FakeDatabase) -> None:
    _riviere, _mont, sec = await two_communes(svc)
    stranger = ChatDriver.for_user(svc, "m3", "Chloé")
    await stranger.register(siret=THIRD_SIRET, name="Commune de Tiers", dep="13")
    await sec.tap(ProfileSwitch(collectivite_id(fake_db, "Commune de Tiers")).pack())
    assert "ne faites pas (ou plus) partie" in sec.text()
    await sec.say("/collectivite")
    assert f"✅ {MONT}" in sec.text() and "Tiers" not in sec.text()
    # Nor can she edit a collectivité she merely belongs to.
    await sec.tap(ProfileEdit(collectivite_id(fake_db, MONT), ProfileField.NAME).pack())
    assert "Seuls les administrateurs de Commune du Mont" in sec.text()


async def test_admin_edits_population_and_name(svc: ChatService, fake_db: FakeDatabase) -> None:
    riviere = ChatDriver.for_user(svc, "m1", "Ana")
    await riviere.register(siret=SIRET, name=RIVIERE)
    cid = collectivite_id(fake_db, RIVIERE)

    def row() -> dict[str, object]:
        (found,) = [r for r in fake_db.rows("collectivites") if r["id"] == cid]
        return found

    await riviere.say("/collectivite")
    assert "Population : 1 200" in riviere.text().replace("\u202f", " ")
    await riviere.press("Modifier")
    await riviere.press("Population")
    assert "Combien d’habitants" in riviere.text()
    for bad, reason in (("-5", "négatif"), ("beaucoup", "Je n’ai pas lu"), ("0", "au moins un")):
        await riviere.say(bad)
        assert reason in riviere.text()
        assert row()["population"] == 1200  # nothing stored
    await riviere.say("12 000 hab")
    assert row()["population"] == 12000
    assert "C’est enregistré." in riviere.text()
    assert "Population : 12 000" in riviere.text().replace("\u202f", " ")

    await riviere.press("Modifier")
    await riviere.press("Nom")
    await riviere.say("x")
    assert "entre 2 et 200 caractères" in riviere.text() and row()["name"] == RIVIERE
    await riviere.say("  Commune   de Rivière-sur-Loire ")
    assert row()["name"] == "Commune de Rivière-sur-Loire"
    await riviere.press("Modifier")
    await riviere.press("Type")
    await riviere.press("Intercommunalité")
    assert row()["kind"] == "epci"
    await riviere.press("Modifier")
    await riviere.press("Département")
    await riviere.say("60")  # Toulouse's SIREN says 31: questioned once
    assert "indique le département 31" in riviere.text() and row()["departement"] == "31"
    await riviere.say("60")
    assert row()["departement"] == "60"
    await riviere.press("Modifier")
    await riviere.press("Population")
    await riviere.press("Annuler")
    assert "le profil reste tel quel" in riviere.text()
    await riviere.say("999")  # no longer editing: not taken as a population
    assert row()["population"] == 12000
