"""« Non concerné » (issue 17): offered only by questions flagged `not_applicable: true`, stored as
`nc`, shown as « Non concerné », left out of the index and of the plan. Runs on a small test
referential (tests/helpers/referential_factory.py) since the real data may have no such flag yet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogs.context import EngineConfig
from ecoclic.service import ChatService
from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase
from tests.helpers.referential_factory import GOV_FILE, SEN_FILE, build_referential, valid_spec


@pytest.fixture
def flagged(tmp_path: Path) -> Referential:
    spec = valid_spec()
    spec[GOV_FILE]["questions"][1]["not_applicable"] = True  # GOV-02, yes/no
    spec[SEN_FILE]["questions"][1]["not_applicable"] = True  # SEN-02, choice
    return build_referential(tmp_path, spec)


@pytest.fixture
def nc_chat(flagged: Referential) -> Iterator[tuple[ChatDriver, FakeDatabase]]:
    db = FakeDatabase()
    service = ChatService(db, flagged, EngineConfig())
    try:
        yield ChatDriver.for_user(service), db
    finally:
        service.close()


async def test_non_concerne_is_offered_stored_and_shown(
    nc_chat: tuple[ChatDriver, FakeDatabase], flagged: Referential
) -> None:
    chat, db = nc_chat
    await chat.register()
    assert "a:GOV-01:nc" not in [b.data for b in chat.buttons()]  # not flagged: not offered
    await chat.tap("a:GOV-01:oui")
    assert "a:GOV-02:nc" in [b.data for b in chat.buttons()]
    outcome = await chat.tap("a:GOV-02:nc")
    assert "Votre réponse : Non concerné" in outcome.replies[0].text
    assert "À retenir" not in outcome.replies[0].text  # opens no recommendation
    await chat.tap("a:GOV-03:oui")
    await chat.tap("a:SEN-01:oui")
    await chat.say("non concerné")  # typed, on a choice question
    assert "Réponse enregistrée : Non concerné" in chat.text()
    answers = {r["question_id"]: r["value"] for r in db.rows("answers")}
    assert answers["GOV-02"] == "nc" and answers["SEN-02"] == "nc"
    assert db.rows("action_items") == [] or all(
        r["question_id"] not in ("GOV-02", "SEN-02") for r in db.rows("action_items")
    )
    await chat.tap("a:SEN-03:oui")
    assert "Questionnaire terminé" in chat.text()
    assert "Indice de maturité : 100/100" in chat.text()  # nc leaves the index


async def test_non_concerne_refused_where_not_flagged(
    nc_chat: tuple[ChatDriver, FakeDatabase],
) -> None:
    chat, db = nc_chat
    await chat.register()
    await chat.tap("a:GOV-01:nc")
    assert "Réponse inconnue" in chat.text()
    await chat.say("non concerné")
    assert "Je n’ai pas compris" in chat.text()
    assert db.rows("answers") == []
