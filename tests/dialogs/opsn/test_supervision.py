"""A referent opens a followed collectivité from /collectivites: overview, answers by theme, and
refusals for everyone else (another OPSN's referent, a member, a stranger, stale or forged data)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dialogs.i18n import translator
from dialogs.opsn.buttons import SuperviseAnswers, SuperviseOpen, SuperviseThemes
from dialogs.opsn.supervision_view import answer_pages
from dialogs.ports import Transaction
from dialogs.records import ItemStatus
from ecoclic.service import ChatService
from referential.models import Referential
from tests.dialogs.opsn.steps import CONFIG, NOW, request_attachment
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.outbox import button

NNBSP = "\u202f"
NBSP = "\xa0"


def collectivite_id(db: FakeDatabase, name: str = "Commune de Beauvoir") -> int:
    return int(next(c["id"] for c in db.rows("collectivites") if c["name"] == name))


def give_answers(db: FakeDatabase, cid: int, values: dict[str, str]) -> None:
    def work(tx: Transaction) -> None:
        for qid, value in values.items():
            tx.store.answers.set(cid, qid, value, referential_version="t", user_id=1, now=NOW)

    db.run(work)


def overdue_item(db: FakeDatabase, cid: int, qid: str, due: date) -> None:
    def work(tx: Transaction) -> None:
        item = tx.store.plan.create_item(cid, qid, actor_id=None, now=NOW)
        tx.store.plan.update_item(
            item.id, {"due_date": due, "status": ItemStatus.EN_COURS}, actor_id=None, now=NOW
        )

    db.run(work)


async def attach(world: dict[str, ChatDriver], db: FakeDatabase) -> int:
    await request_attachment(world["admin"])
    await world["ref"].tap(button(db.inbox("ref")[-1], "Accepter"))
    return collectivite_id(db)


def every_label_fits(driver: ChatDriver) -> None:
    for reply in driver.last.replies if driver.last else ():
        assert len(reply.text) <= 4096
        for row in reply.buttons:
            for b in row:
                assert len(b.label) <= (28 if len(row) == 1 else 20), b.label


async def test_referent_reads_a_followed_collectivite(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    cid = await attach(world, fake_db)
    give_answers(
        fake_db,
        cid,
        {"GOV-01": "oui", "GOV-02": "nsp", "PAR2-01": "1200", "PAR2-04": "nc"},
    )
    overdue_item(fake_db, cid, "GOV-03", date(2026, 10, 1))
    ref = world["ref"]
    await ref.say("/collectivites")
    await ref.press("Consulter une fiche")
    every_label_fits(ref)
    await ref.press("Commune de Beauvoir")
    text = ref.text()
    assert "SIRET 21310555400017" in text
    assert f"Département 31 · 1{NNBSP}200 habitants" in text
    assert "Indice " in text and "lettre " in text
    assert "Indice par thème :" in text and "Niveau 2 : 2 réponses sur" in text
    assert "Plan d’actions (1) : En cours 1" in text
    assert "Actions en retard (1) :" in text and "1 octobre 2026" in text
    every_label_fits(ref)

    await ref.press("Réponses niveau 1")
    every_label_fits(ref)
    await ref.press(referential.theme("GOV").title[:10])
    text = ref.text()
    assert "GOV-01" in text and "→ Oui" in text and "→ Je ne sais pas" in text
    assert "→ pas de réponse" in text  # GOV-03, never answered
    await ref.press("Thèmes")
    await ref.press("Fiche")
    await ref.press("Réponses niveau 2")
    await ref.press(referential.theme("PAR2").title[:10])
    text = ref.text()
    assert f"→ 1{NNBSP}200{NBSP}appareils" in text and "→ Non concerné" in text
    assert "PAR2-07" in text and "PAR2-08" not in text  # hidden until PAR2-07 is above 0
    every_label_fits(ref)


async def test_others_are_refused(world: dict[str, ChatDriver], fake_db: FakeDatabase) -> None:
    cid = await attach(world, fake_db)
    datas = [
        SuperviseOpen(1, cid).pack(),
        SuperviseThemes(1, cid, 1).pack(),
        SuperviseAnswers(1, cid, 0, 0).pack(),
        "sv:p:1:0",
    ]
    for who in ("far", "admin", "elu"):
        for data in datas:
            await world[who].tap(data)
            assert "réservée aux référents" in world[who].text(), (who, data)
    stranger = ChatDriver.for_user(world["ref"].service, "nobody", "Inconnu")
    await stranger.tap(datas[0])
    assert "réservée aux référents" in stranger.text()
    # The far OPSN's referent naming its own OPSN: that OPSN does not follow the collectivité.
    await world["far"].tap(SuperviseOpen(2, cid).pack())
    assert "pas (ou plus) suivie par Opérateur Lointain" in world["far"].text()
    ref = world["ref"]
    for forged in ("sv:o:1:999", "sv:a:1:1:99:0", "sv:o:1:x", "sv:a:1:1:-1:0", "sv:t:1:1:7"):
        await ref.tap(forged)
        text = ref.text()
        assert "Traceback" not in text and text.strip(), forged
        assert "Commune de Beauvoir —" not in text, forged
    # An ended attachment makes the old buttons stale.
    await world["admin"].say("/rattachement")
    await world["admin"].press("Mettre fin")
    await world["admin"].press("Oui, mettre fin")
    await ref.tap(datas[0])
    assert "pas (ou plus) suivie par Opérateur Occitan" in ref.text()


async def test_request_from_outside_the_territory_says_so(
    world: dict[str, ChatDriver], fake_db: FakeDatabase
) -> None:
    await request_attachment(world["admin"])
    assert "Attention" not in fake_db.inbox("ref")[-1].text  # the 31 is served
    await world["admin"].press("Retirer la demande")
    admin = world["admin"]
    await admin.say("/rattachement")
    await admin.press("Voir tous les OPSN")
    await admin.press("Opérateur Lointain")
    await admin.press("Envoyer la demande")
    notice = fake_db.inbox("far")[-1].text
    assert "le département 31 n’est pas dans le territoire de Opérateur Lointain (60)" in notice


def test_long_themes_are_paged_under_telegram_limit(referential: Referential) -> None:
    tr = translator("fr")
    theme = referential.theme("APL")
    long_text = {q.id: "x" * 400 for q in referential.questions_of("APL")}
    pages = answer_pages(tr, referential, theme, long_text)
    assert all(len(p) <= 3500 for p in pages)
    joined = "\n\n".join(pages)
    assert all(q.id in joined for q in referential.questions_of("APL"))


async def test_overview_links_to_the_web_sheet(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    cid = await attach(world, fake_db)
    signed: list[tuple[str, int, str, int | None]] = []

    def sign(kind: str, target: int, role: str, user: int | None) -> str:
        signed.append((kind, target, role, user))
        return f"https://ecoclic.example/o/jeton-{target}/"

    config = replace(CONFIG, link_signer=sign)
    service = ChatService(fake_db, referential, config, lambda: NOW)
    try:
        ref = ChatDriver.for_user(service, "ref", "Romane")
        await ref.tap(SuperviseOpen(1, cid).pack())
        url = f"https://ecoclic.example/o/jeton-1/c/{cid}/fiche"
        assert url in ref.text() and "valable 24 heures" in ref.text()
        assert [b.url for b in ref.buttons() if b.url] == [url]
        assert signed and signed[-1][:3] == ("o", 1, "referent")
        every_label_fits(ref)
    finally:
        service.close()


async def test_long_answer_lists_are_paged_in_chat(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    cid = await attach(world, fake_db)
    apl = referential.questions_of("APL")
    give_answers(fake_db, cid, {q.id: "nc" if q.not_applicable else "nsp" for q in apl})
    ref = world["ref"]
    await ref.tap(SuperviseOpen(1, cid).pack())
    await ref.press("Réponses niveau 2")
    themes = ref.text()
    level2 = referential.level_themes(2, include_locked=True)
    assert all(f"{n}. {t.title}" in themes for n, t in enumerate(level2, 1))
    labels = [b.label for b in ref.buttons()]
    assert len(set(labels)) == len(labels)  # cut titles stay distinct
    await ref.press(f"{len(level2)}. ")
    seen = ref.text()
    assert "(page 1/2)" in seen
    every_label_fits(ref)
    await ref.press("Suivantes")
    assert "(page 2/2)" in ref.text()
    seen += ref.text()
    every_label_fits(ref)
    assert all(q.id in seen for q in apl)
    await ref.press("Précédentes")
    assert "(page 1/2)" in ref.text()


async def test_overview_in_english(world: dict[str, ChatDriver], fake_db: FakeDatabase) -> None:
    cid = await attach(world, fake_db)
    give_answers(fake_db, cid, {"GOV-01": "oui", "PAR2-04": "nc"})
    english = ChatDriver.for_user(world["ref"].service, "ref", "Romane", "en")
    await english.tap(SuperviseOpen(1, cid).pack())
    text = english.text()
    assert "Index by theme:" in text and "Level 2: 1 answer out of" in text
    assert "Action plan" in text
    await english.press("Level 2 answers")
    await english.press("4. ")  # PAR2
    assert "→ Not applicable" in english.text()
    every_label_fits(english)


async def test_many_overdue_actions_are_capped(
    world: dict[str, ChatDriver], fake_db: FakeDatabase, referential: Referential
) -> None:
    cid = await attach(world, fake_db)
    for n, q in enumerate(referential.level_questions(1)[:13]):
        overdue_item(fake_db, cid, q.id, date(2026, 1, 1 + n))
    overdue_item(fake_db, cid, referential.level_questions(1)[13].id, date(2027, 1, 1))  # not late
    ref = world["ref"]
    await ref.tap(SuperviseOpen(1, cid).pack())
    text = ref.text()
    assert "Actions en retard (13) :" in text and "… et 3 autres." in text
    assert "1 janvier 2026" in text and "13 janvier 2026" not in text  # oldest due first
    assert "Plan d’actions (14) : En cours 14" in text
    every_label_fits(ref)
