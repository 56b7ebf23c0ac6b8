"""A referent pushes recommendations (written freely or from the catalogue, to one followed
collectivité or to all); the teams' administrators answer; every bad input stores nothing."""

from __future__ import annotations

from dialogs.opsn.push_buttons import (
    ProposalAccept,
    ProposalDecline,
    ProposalNoReason,
    PushCatalogue,
    PushList,
    PushNoDue,
    PushPriority,
    PushQuestion,
    PushSend,
    PushStart,
    PushTo,
    PushToAll,
    PushWrite,
)
from dialogs.ports import Transaction
from dialogs.records import ItemStatus
from referential.models import Referential
from tests.dialogs.opsn.steps import NOW, OTHER_SIRET, request_attachment
from tests.dialogs.opsn.test_supervision import attach, collectivite_id, every_label_fits
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button

TITLE = "Atelier sobriété numérique du 12 mars"
WHY = "Les agents découvrent les gestes qui font durer le matériel."
HOW = "Inscrivez deux agents auprès de l’OPSN avant le 1er mars."


def proposals(db: FakeDatabase) -> list[dict[str, object]]:
    return db.rows("recommendation_proposals")


def messages(db: FakeDatabase, who: str, prefix: str) -> list[str]:
    uid = db.user_id(who)
    return [row.reply.text for row in db.outbox(prefix) if row.user_id == uid]


async def write_free(ref: ChatDriver, target: str = "Commune de Beauvoir") -> None:
    await ref.say("/collectivites")
    await ref.press("Proposer une action")
    every_label_fits(ref)
    await ref.press(target)
    await ref.press("Rédiger")
    await ref.say(TITLE)
    await ref.say(WHY)
    await ref.say(HOW)
    await ref.press("Nécessaire")


async def second_commune(
    world: dict[str, ChatDriver], db: FakeDatabase, language: str = "fr"
) -> ChatDriver:
    other = ChatDriver.for_user(world["ref"].service, "admin2", "Alix")
    await other.register(siret=OTHER_SIRET, name="Commune de Vernet", dep="31")
    await request_attachment(other)
    await world["ref"].tap(button(db.inbox("ref")[-1], "Accepter"))
    speaking = ChatDriver.for_user(other.service, "admin2", "Alix", language)
    await speaking.say("/aide")  # the channel says which language the person reads
    return speaking


async def test_free_proposal_is_validated_then_declined_with_a_reason(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    await attach(world, fake_db)
    ref, admin = world["ref"], world["admin"]
    await ref.say("/collectivites")
    await ref.press("Proposer une action")
    await ref.press("Commune de Beauvoir")
    await ref.press("Rédiger")
    assert ref.last is not None and ref.last.expects_text
    for typed, why in (("ab", "un peu court"), ("x" * 121, "trop long (121 caractères)")):
        await ref.say(typed)
        assert why in ref.text(), typed
    await ref.say(f"  {TITLE}\n ")
    assert "Pourquoi cette action" in ref.text()
    await ref.say(WHY)
    await ref.say("y" * 451)
    assert "trop long (451 caractères)" in ref.text()
    await ref.say(HOW)
    assert "Quelle priorité" in ref.text() and ref.last is not None
    assert not ref.last.expects_text  # buttons now: a typed « 1 » is not a title
    await ref.say("Nécessaire")
    assert "Touchez un des boutons" in ref.text()
    await ref.press("Nécessaire")
    for typed, why in (
        ("32/03/2027", "n’existe pas"),
        ("01/01/2020", "déjà passée"),
        ("bientôt", "pas reconnu de date"),
        ("01/01/2040", "trop lointaine"),
    ):
        await ref.say(typed)
        assert why in ref.text(), typed
    await ref.say("12/03/2027")
    text = ref.text()
    assert "À envoyer à Commune de Beauvoir" in text and f"« {TITLE} »" in text
    assert "Priorité : Nécessaire" in text and "12 mars 2027" in text
    assert f"Pourquoi : {WHY}" in text and f"Comment : {HOW}" in text
    assert proposals(fake_db) == []
    every_label_fits(ref)
    await ref.press("Envoyer")
    assert "Proposition envoyée à 1 collectivité" in ref.text()
    (stored,) = proposals(fake_db)
    assert (stored["title"], stored["priority"], stored["due_date"]) == (TITLE, 2, "2027-03-12")
    await ref.tap(PushSend(1).pack())  # twice: nothing more
    assert "n’est plus en cours" in ref.text() and len(proposals(fake_db)) == 1

    # Only the team's administrator is told, once; the élu, the other referents, nobody else.
    (received,) = fake_db.outbox("push:")
    assert received.user_id == fake_db.user_id("admin")
    assert "Opérateur Occitan propose une action à Commune de Beauvoir" in received.reply.text
    labels = [[b.label for b in row] for row in received.reply.buttons]
    assert labels == [["Ajouter au plan", "Pas pour nous"]]
    pid = int(stored["id"])  # type: ignore[call-overload]

    # Everyone else pressing the answer buttons is refused, and nothing changes.
    stranger = ChatDriver.for_user(ref.service, "nobody", "Inconnu")
    for who in (world["far"], ref, stranger):
        await who.tap(ProposalAccept(pid).pack())
        assert "plus valable" in who.text() and TITLE not in who.text()
    await world["elu"].tap(ProposalAccept(pid).pack())
    assert "Seuls les administrateurs de Commune de Beauvoir" in world["elu"].text()
    await admin.tap(ProposalAccept(pid + 1).pack())
    assert "plus valable" in admin.text()
    assert proposals(fake_db)[0]["status"] == "pending"

    await admin.tap(button(received.reply, "Pas pour nous"))
    assert "Tapez un court motif" in admin.text() and admin.last is not None
    assert admin.last.expects_text
    await admin.say("z" * 301)
    assert "trop long (301 caractères)" in admin.text()
    assert proposals(fake_db)[0]["status"] == "pending"
    await admin.say("Nous l’avons organisé en janvier.")
    assert "n’est pas ajoutée à votre plan" in admin.text()
    assert proposals(fake_db)[0]["status"] == "declined"
    assert fake_db.rows("action_items") == []
    for who in ("ref", "ref2"):
        (outcome,) = messages(fake_db, who, "push-outcome:")
        assert "Commune de Beauvoir n’a pas retenu votre proposition" in outcome
        assert "Motif : Nous l’avons organisé en janvier." in outcome
    assert messages(fake_db, "far", "push") == [] and messages(fake_db, "elu", "push") == []

    # Decided once: a second answer says who decided, and tells nobody again.
    await admin.tap(button(received.reply, "Ajouter au plan"))
    assert "déjà été écartée par vous" in admin.text() and "Déjà traité" in admin.text()
    await admin.tap(ProposalNoReason(pid).pack())
    assert "déjà été écartée" in admin.text()
    assert len(fake_db.outbox("push-outcome:")) == 2

    await ref.say("/collectivites")
    await ref.press("Propositions envoyées")
    assert f"• {TITLE} → Commune de Beauvoir : pas retenue le" in ref.text()
    assert "motif : Nous l’avons organisé en janvier." in ref.text()
    await world["far"].tap(PushList(1).pack())
    assert "réservée aux référents" in world["far"].text()


async def test_catalogue_proposal_to_all_reaches_the_plans(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    await attach(world, fake_db)
    english = await second_commune(world, fake_db, "en")
    ref = world["ref"]
    await ref.say("/collectivites")
    await ref.press("Proposer une action")
    await ref.press("Toutes (2)")
    await ref.press("Catalogue")
    every_label_fits(ref)
    theme = referential.themes[0]
    await ref.press(f"1. {theme.title[:10]}")
    every_label_fits(ref)
    q = next(q for q in referential.questions_of(theme.id) if q.recommendation is not None)
    assert q.recommendation is not None
    await ref.tap(PushQuestion(1, q.id).pack())
    await ref.press("Sans échéance")
    assert "À envoyer à toutes les collectivités suivies (2)" in ref.text()
    await ref.press("Envoyer")
    assert "Proposition envoyée à 2 collectivités" in ref.text()
    first, second = proposals(fake_db)
    assert first["batch"] == second["batch"] == first["id"]
    assert first["question_id"] == q.id and first["priority"] == referential.weight(q)

    (fr,) = messages(fake_db, "admin", "push:")
    assert q.recommendation.title in fr and "Ajouter au plan" not in fr
    (en,) = fake_db.outbox(f"push:{second['id']}:")
    assert "Opérateur Occitan proposes an action to Commune de Vernet" in en.reply.text
    assert [b.label for row in en.reply.buttons for b in row] == ["Add to plan", "Not for us"]
    english_title = referential.translated("en").question(q.id).recommendation
    assert english_title is not None and english_title.title in en.reply.text

    # The same recommendation again: both still have it waiting, nothing is sent twice.
    await ref.tap(PushToAll(1).pack())
    await ref.tap(PushCatalogue(1).pack())
    await ref.tap(PushQuestion(1, q.id).pack())
    await ref.tap(PushNoDue(1).pack())
    await ref.tap(PushSend(1).pack())
    assert "déjà proposée" in ref.text() and len(proposals(fake_db)) == 2

    # Accepted by the first commune: its plan has the question's item, marked by the OPSN.
    admin = world["admin"]
    await admin.tap(button(fake_db.inbox("admin")[-1], "Ajouter au plan"))
    assert "est dans votre plan d’actions" in admin.text()
    cid = collectivite_id(fake_db)
    (item,) = [i for i in fake_db.rows("action_items") if i["collectivite_id"] == cid]
    assert item["question_id"] == q.id and item["status"] == ItemStatus.A_FAIRE
    assert item["opsn_id"] == 1 and item["origin"] == "ref"  # still the question's item
    await admin.say("/plan")
    assert "Proposée par Opérateur Occitan" in admin.text()
    assert proposals(fake_db)[0]["action_item_id"] == item["id"]
    await admin.tap(button(fake_db.inbox("admin")[-1], "Ajouter au plan"))
    assert "déjà été ajoutée au plan par vous" in admin.text()
    for who in ("ref", "ref2"):
        (outcome,) = messages(fake_db, who, "push-outcome:")
        assert "Commune de Beauvoir a ajouté à son plan d’actions" in outcome

    # The English team declines without a reason.
    await english.tap(ProposalDecline(int(second["id"])).pack())  # type: ignore[call-overload]
    await english.press("No reason")
    assert "is not added to your plan" in english.text()
    assert messages(fake_db, "ref", "push-outcome:")[-1].endswith("Aucun motif donné.")
    await ref.tap(PushList(1).pack())
    assert "→ Commune de Vernet : pas retenue le" in ref.text()
    assert "→ Commune de Beauvoir : ajoutée au plan le" in ref.text()


async def test_forged_and_stale_referent_buttons_store_nothing(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    cid = await attach(world, fake_db)
    ref, far = world["ref"], world["far"]
    for data in (PushStart(1).pack(), PushTo(1, cid).pack(), PushToAll(1).pack()):
        for who in (far, world["admin"], world["elu"]):
            await who.tap(data)
            assert "réservée aux référents" in who.text(), data
    await far.tap(PushTo(2, cid).pack())
    assert "pas (ou plus) suivie par Opérateur Lointain" in far.text()
    await far.tap(PushStart(2).pack())
    assert "n’accompagne encore aucune collectivité" in far.text()
    # Buttons of a draft that does not exist, or of another step.
    for data in (PushSend(1), PushPriority(1, 2), PushNoDue(1), PushWrite(1), PushCatalogue(1)):
        await ref.tap(data.pack())
        assert "n’est plus en cours" in ref.text(), data
    await ref.tap(PushTo(1, cid).pack())
    for data in (PushSend(1), PushPriority(1, 2), PushNoDue(1)):
        await ref.tap(data.pack())
        assert "plus valable" in ref.text(), data
    await ref.tap(PushQuestion(1, "NOPE-99").pack())
    assert "plus valable" in ref.text()
    await ref.tap(PushWrite(1).pack())
    await ref.say(TITLE)
    await ref.say(WHY)
    await ref.say(HOW)
    await ref.tap(PushPriority(1, 7).pack())
    assert "plus valable" in ref.text()
    for forged in ("pu:to:1:x", "pu:pr:1:²", "pp:ok:-1", "pp:ok:99999999999", "pu:q:1:a:b"):
        await ref.tap(forged)
        assert ref.text().strip() and "Traceback" not in ref.text(), forged
    await ref.say("/annuler")
    await ref.tap(PushSend(1).pack())
    assert "n’est plus en cours" in ref.text()
    assert proposals(fake_db) == [] and fake_db.outbox("push") == []


async def test_no_longer_followed_collectivite_is_refused(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    await attach(world, fake_db)
    ref, admin = world["ref"], world["admin"]
    await write_free(ref)
    await ref.press("Sans échéance")
    await ref.press("Envoyer")
    (pid,) = [int(p["id"]) for p in proposals(fake_db)]  # type: ignore[call-overload]
    await write_free(ref)
    await ref.press("Sans échéance")
    await admin.say("/rattachement")
    await admin.press("Mettre fin")
    await admin.press("Oui, mettre fin")
    await ref.press("Envoyer")
    assert "pas (ou plus) suivie par Opérateur Occitan" in ref.text()
    assert len(proposals(fake_db)) == 1
    await admin.tap(ProposalAccept(pid).pack())
    assert "Opérateur Occitan n’accompagne plus Commune de Beauvoir" in admin.text()
    await admin.tap(ProposalDecline(pid).pack())
    assert "n’accompagne plus" in admin.text()
    assert proposals(fake_db)[0]["status"] == "pending" and fake_db.rows("action_items") == []
    await request_attachment(admin)
    await ref.tap(button(fake_db.inbox("ref")[-1], "Accepter"))
    await admin.tap(ProposalDecline(pid).pack())
    await admin.say("/annuler")
    await admin.say("Pas le moment.")
    assert proposals(fake_db)[0]["status"] == "pending"  # /annuler left the reason untyped


async def test_accepted_free_proposal_is_in_the_plan_marked_by_the_opsn(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    await attach(world, fake_db)
    ref, admin = world["ref"], world["admin"]
    await write_free(ref)
    await ref.say("12/03/2027")
    await ref.press("Envoyer")
    await admin.tap(button(fake_db.inbox("admin")[-1], "Ajouter au plan"))
    assert "marquée « Proposée par Opérateur Occitan »" in admin.text()
    (item,) = fake_db.rows("action_items")
    assert (item["origin"], item["title"], item["opsn_id"]) == ("opsn", TITLE, 1)
    assert item["details"] == f"{WHY}\n\n{HOW}" and item["question_id"] is None
    assert (item["priority"], item["due_date"], item["status"]) == (2, "2027-03-12", "a_faire")
    assert proposals(fake_db)[0]["action_item_id"] == item["id"]
    await admin.say("/plan")
    assert TITLE in admin.text() and "Proposée par Opérateur Occitan" in admin.text()
    (outcome,) = messages(fake_db, "ref", "push-outcome:")
    assert f"votre proposition « {TITLE} » (réponse de Camille)" in outcome


async def test_a_set_aside_item_comes_back_when_its_proposal_is_accepted(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    cid = await attach(world, fake_db)
    q = next(q for q in referential.level_questions(1) if q.recommendation is not None)

    def set_aside(tx: Transaction) -> None:
        item = tx.store.plan.create_item(cid, q.id, actor_id=None, now=NOW)
        tx.store.plan.update_item(
            item.id,
            {"status": ItemStatus.NON_RETENU, "reason": "plus tard"},
            actor_id=None,
            now=NOW,
        )

    fake_db.run(set_aside)
    ref, admin = world["ref"], world["admin"]
    await ref.tap(PushTo(1, cid).pack())
    await ref.press("Catalogue")
    await ref.tap(PushQuestion(1, q.id).pack())
    await ref.say("12/03/2027")
    await ref.press("Envoyer")
    await admin.tap(button(fake_db.inbox("admin")[-1], "Ajouter au plan"))
    (item,) = fake_db.rows("action_items")
    assert (item["status"], item["reason"], item["opsn_id"]) == ("a_faire", "", 1)
    assert item["due_date"] == "2027-03-12"
