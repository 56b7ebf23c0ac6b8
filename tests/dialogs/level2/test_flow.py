"""/niveau2 on the fake store: a whole section, typed answers, « Non concerné », conditions,
multi-choice, editing, a referent answering, refusals and stale buttons."""

from __future__ import annotations

from dialogs.level2.buttons import Level2Answer, Level2Ask, Level2Menu, Level2Toggle
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase


def answers(db: FakeDatabase) -> dict[str, str]:
    return {a["question_id"]: a["value"] for a in db.rows("answers")}


def cid(db: FakeDatabase) -> int:
    (row,) = db.rows("collectivites")
    return int(row["id"])


async def test_a_non_attached_member_is_refused_clearly(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = world["elu"]
    await elu.say("/niveau2")
    assert "se débloque quand un OPSN accepte d’accompagner Commune de Beauvoir" in elu.text()
    await elu.tap(Level2Menu(cid(fake_db)).pack())
    assert "se débloque quand un OPSN accepte" in elu.text()
    await elu.tap(Level2Answer(cid(fake_db), "GOV2-01", "binome").pack())
    assert answers(fake_db) == {}
    await elu.say("/indicateurs")
    assert "se débloque" in elu.text()


async def test_a_whole_section_answered_with_typed_figures(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    await elu.say("/niveau2")
    assert "Niveau 2 — Commune de Beauvoir : 0/" in elu.text()
    labels = [b.label for b in elu.buttons()]
    assert "Pour aller plus loin" not in labels  # sections, not themes
    assert any(label.startswith("Protection des données") for label in labels)
    assert all(len(label) <= 28 for label in labels)
    await elu.press("Gouvernance")
    assert "Gouvernance : 0/5 réponses" in elu.text()
    await elu.press("Continuer")
    assert "Qui tient le rôle de référent" in elu.text()
    await elu.press("Un binôme")  # opens GOV2-02 (function) and GOV2-03 (time share)
    assert "Adjoint chargé de l’environnement" in elu.text()  # the example
    assert "plutôt que le nom d’une personne" in elu.text()  # personal_data reminder
    await elu.say("x" * 200)
    assert "trop longue" in elu.text()
    await elu.say("La DGS et l’adjoint à l’environnement")
    assert "Réponse enregistrée : La DGS et l’adjoint à l’environnement" in elu.text()
    assert "part de son temps" in elu.text()
    for refused, why in [
        ("beaucoup", "pas pu lire"),
        ("-3", "trop petit"),
        ("1 200 000 %", "trop grand"),
        ("12k€", "pas pu lire"),
    ]:
        await elu.say(refused)
        assert why in elu.text(), refused
        assert "par exemple « 10\u00a0% »" in elu.text()
        assert "GOV2-03" not in answers(fake_db)
    await elu.say("12,5 %")
    assert "Réponse enregistrée : 12,5" in elu.text()
    assert answers(fake_db)["GOV2-03"] == "12.5"
    # the rest of the section: choices, dates, figures, as each question asks
    for _ in range(15):
        text = elu.text()
        if "Partie « Gouvernance » terminée" in text:
            break
        labels = [b.label for b in elu.buttons()]
        if "Tapez une date" in text:
            await elu.say("15 mars 2025")
        elif "Tapez un montant" in text:
            await elu.say("12 000 €")
        elif "Tapez un nombre" in text:
            await elu.say("1 200" if "de 0 à 200" not in text else "8")
        elif "Tapez un texte" in text:
            await elu.say("Le service informatique")
        elif any(label.startswith("1.") for label in labels):
            await elu.press("1.")
        elif "✅ Valider" in labels:
            await elu.press("☐")
            await elu.press("Valider")
        else:
            await elu.press("Oui")
    assert "Partie « Gouvernance » terminée" in elu.text()
    given = answers(fake_db)
    gov = {k: v for k, v in given.items() if k.startswith("GOV2")}
    assert len(gov) >= 5
    history = fake_db.rows("answer_history")
    elu_id = fake_db.user_id("elu")
    assert {h["answered_by"] for h in history} == {elu_id}
    # level-2 answers leave the level-1 index alone
    (row,) = fake_db.rows("collectivites")
    assert row["answered_count"] == 0


async def test_not_applicable_and_dont_know(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    await elu.tap(Level2Ask(cid(fake_db), "PAR2-04").pack())
    assert "Non concerné" in [b.label for b in elu.buttons()]
    await elu.press("Non concerné")
    assert answers(fake_db)["PAR2-04"] == "nc"
    await elu.tap(Level2Ask(cid(fake_db), "PAR2-01").pack())
    assert "Non concerné" not in [b.label for b in elu.buttons()]
    await elu.say("je ne sais pas")
    assert answers(fake_db)["PAR2-01"] == "nsp"
    await elu.tap(Level2Answer(cid(fake_db), "PAR2-01", "nc").pack())  # forged: not offered
    assert "Réponse inconnue" in elu.text()
    assert answers(fake_db)["PAR2-01"] == "nsp"


async def test_conditional_question_hidden_then_shown(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    c = cid(fake_db)
    await elu.tap(Level2Ask(c, "GOV2-02").pack())  # hidden until GOV2-01 names someone
    assert "ne se pose pas" in elu.text()
    await elu.tap(Level2Answer(c, "GOV2-01", "aucun").pack())
    assert "Qui tient le rôle" not in elu.text().split("Réponse enregistrée")[-1]
    assert "Quelle fonction" not in elu.text()
    await elu.tap(Level2Answer(c, "GOV2-01", "agent").pack())
    assert "Quelle fonction occupe" in elu.text()
    await elu.say("Responsable informatique")
    assert answers(fake_db)["GOV2-02"] == "Responsable informatique"


async def test_multi_choice_toggles_then_validates(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase, referential: object
) -> None:
    from referential.models import Referential

    assert isinstance(referential, Referential)
    q = next(
        q
        for q in referential.questions
        if q.level == 2 and q.answer_type.value == "multi_choice" and q.shown_if is None
    )
    elu = attached["elu"]
    c = cid(fake_db)
    await elu.tap(Level2Ask(c, q.id).pack())
    assert "Cochez toutes les réponses" in elu.text()
    await elu.press(q.options[0].label[:10])
    assert elu.buttons()[0].label.startswith("☑")
    await elu.press(q.options[1].label[:10])
    assert elu.buttons()[1].label.startswith("☑")
    await elu.press(q.options[0].label[:10])
    assert elu.buttons()[0].label.startswith("☐")
    assert q.id not in answers(fake_db)  # nothing stored before « Valider »
    await elu.press("Valider")
    assert answers(fake_db)[q.id] == q.options[1].id
    await elu.tap(Level2Toggle(c, q.id, 1 << 12).pack())  # forged mask
    assert "plus valable" in elu.text()


async def test_editing_an_earlier_answer_comes_back(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    c = cid(fake_db)
    await elu.tap(Level2Answer(c, "PAR2-01", "nsp").pack())
    await elu.tap(Level2Ask(c, "PAR2-03").pack())
    assert "un nombre entier (ans) de 0 à 20" in elu.text()
    await elu.tap(Level2Ask(c, "PAR2-01").pack())  # change an earlier answer
    assert "Réponse actuelle : Je ne sais pas" in elu.text()
    await elu.say("18")
    assert answers(fake_db)["PAR2-01"] == "18"
    assert "Réponse enregistrée : 18" in elu.text()
    assert ctx_question(fake_db, "elu") == "PAR2-03"  # back where the élu was


def ctx_question(db: FakeDatabase, who: str) -> object:
    for row in db.rows("conversations"):
        if row["user_id"] == db.user_id(who):
            return row["state"].get("l2q")
    return None


async def test_a_referent_answers_for_the_collectivite(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    ref, far = attached["ref"], attached["far"]
    await ref.say("/niveau2")
    assert "Pour quelle collectivité répondez-vous" in ref.text()
    await ref.press("Commune de Beauvoir")
    assert "en tant que référent de Opérateur Occitan" in ref.text()
    await ref.tap(Level2Ask(cid(fake_db), "PAR2-01").pack())
    await ref.say("45 appareils")
    assert "Réponse enregistrée pour Commune de Beauvoir : 45" in ref.text()
    assert "référent de Opérateur Occitan" in ref.text()
    (last,) = [h for h in fake_db.rows("answer_history") if h["question_id"] == "PAR2-01"]
    assert last["answered_by"] == fake_db.user_id("ref")
    # a referent of another OPSN cannot
    await far.tap(Level2Answer(cid(fake_db), "GOV2-01", "binome").pack())
    assert "Vous ne pouvez pas répondre pour cette collectivité" in far.text()
    await far.say("/niveau2")
    assert "aucune collectivité" in far.text()
    assert "GOV2-01" not in answers(fake_db)


async def test_stale_and_forged_buttons(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    c = cid(fake_db)
    await elu.tap(Level2Ask(c, "GOV-01").pack())  # a level-1 question
    assert "ne fait pas (ou plus) partie du niveau 2" in elu.text()
    await elu.tap(Level2Ask(c, "ZZZ-99").pack())
    assert "ne fait pas (ou plus) partie du niveau 2" in elu.text()
    await elu.tap(Level2Answer(c, "GOV2-01", "zzz").pack())
    assert "Réponse inconnue" in elu.text()
    await elu.tap("n2:a:1:GOV2-01:binome:extra:junk")
    assert elu.last is not None and elu.last.replies
    await elu.tap(Level2Menu(c + 1000).pack())
    assert "Vous ne pouvez pas répondre" in elu.text()
    await elu.tap(Level2Ask(c, "PAR2-01").pack())
    await elu.press("Passer")
    assert "(question passée)" in elu.text()
    await elu.tap(Level2Ask(c, "PAR2-02").pack())
    await elu.tap(Level2Ask(c, "PAR2-01").pack())
    old_skip = next(b.data for b in elu.buttons() if b.label == "Passer")
    await elu.tap(Level2Ask(c, "PAR2-02").pack())
    await elu.tap(old_skip)
    assert "plus valable" in elu.text()
    assert answers(fake_db) == {}


async def test_resume_where_one_left_off(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    elu = attached["elu"]
    await elu.say("/niveau2")
    await elu.press("Reprendre")
    assert "Qui tient le rôle de référent" in elu.text()  # the very first question
    await elu.press("Un binôme")
    assert "Quelle fonction occupe" in elu.text()
    await elu.say("/aide")
    await elu.say("/niveau2")
    assert "Niveau 2 — Commune de Beauvoir : 1/" in elu.text()
    await elu.press("Reprendre")
    assert "Quelle fonction occupe" in elu.text()
    await elu.press("Pourquoi ?")
    assert "Indiquez la fonction, pas le nom" in elu.text()
    await elu.press("◀ Précédente")
    assert "Qui tient le rôle de référent" in elu.text()
    assert "Réponse actuelle : Un binôme, un élu et un agent" in elu.text()


async def test_every_button_fits_a_phone(
    attached: dict[str, ChatDriver], fake_db: FakeDatabase, referential: object
) -> None:
    """At most 20 characters on a row of several buttons, 28 on a row of its own."""
    from dialogs.level2.content import shown_questions
    from referential.models import Referential

    assert isinstance(referential, Referential)
    elu = attached["elu"]
    c = cid(fake_db)
    screens = [Level2Menu(c).pack()] + [
        Level2Ask(c, q.id).pack() for q in shown_questions(referential, {})
    ]
    for data in screens:
        await elu.tap(data)
        assert elu.last is not None
        for reply in elu.last.replies:
            for row in reply.buttons:
                limit = 28 if len(row) == 1 else 20
                assert all(len(b.label) <= limit for b in row), (data, [b.label for b in row])
