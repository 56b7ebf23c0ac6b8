"""/score ends with the département, région, France and OPSN averages, when groups are big enough."""

from __future__ import annotations

from dialogs.ports import Transaction
from tests.helpers.area_stats import answered_peers, follow
from tests.helpers.chat import ChatDriver
from tests.helpers.contract import NOW
from tests.helpers.fake_store import FakeDatabase

SIRET = "21310555400017"
CORSICA = "21200400600004"  # a Corsican commune: its SIREN says 2A or 2B
REUNION = "21974010700004"


async def test_averages_of_five_others_show(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.register(SIRET)
    fake_db.run(lambda tx: answered_peers(tx, "31", [40, 50, 60, 70, 81]))
    await chat.say("/score")
    text = chat.text()
    assert "Moyennes des collectivités qui ont répondu :" in text
    # 301 / 5 = 60.2: rounded; this collectivité answered nothing, so it is not counted
    assert "département (31) : 60/100 · région Occitanie : 60/100 · France : 60/100" in text
    assert "OPSN" not in text and "Commune secrète" not in text


async def test_a_group_of_four_is_left_out_quietly(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.register(SIRET)
    fake_db.run(lambda tx: answered_peers(tx, "31", [40, 50, 60, 70]))
    await chat.say("/score")
    text = chat.text()
    assert "Indice de maturité" in text
    assert "Moyenne" not in text and "60/100" not in text


async def test_corsica_and_its_opsn(chat: ChatDriver, fake_db: FakeDatabase) -> None:
    await chat.register(CORSICA, dep="2A")

    def territory(tx: Transaction) -> None:
        opsn, _ = tx.store.opsn.save_opsn("corse", "Opérateur Corse", ("2A", "2B"), NOW)
        answered_peers(tx, "2A", [10, 20, 30])
        answered_peers(tx, "2B", [80, 90], follower_of=opsn.id)
        answered_peers(tx, "971", [100, 100, 100], follower_of=opsn.id)
        own = tx.store.people.find_collectivite_by_siret(CORSICA)
        assert own is not None
        follow(tx, own.id, opsn.id)

    fake_db.run(territory)
    await chat.say("/score")
    text = chat.text()
    # 2A counts three (left out); Corse five; France eight; the OPSN five others
    assert "département (2A)" not in text
    assert "région Corse : 46/100 · France : 66/100 · collectivités de votre OPSN : 94/100" in text


async def test_overseas_in_english(fake_db: FakeDatabase, chat: ChatDriver) -> None:
    await chat.register(REUNION, dep="974")
    fake_db.run(lambda tx: answered_peers(tx, "974", [30, 40, 50, 60, 70]))
    await chat.say("/langue")
    await chat.press("English")
    await chat.say("/score")
    assert "département (974): 50/100 · region La Réunion: 50/100 · France: 50/100" in chat.text()
