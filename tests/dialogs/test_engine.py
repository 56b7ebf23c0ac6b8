"""The engine's own paths: routing, stale and forged buttons, /start, empty or unknown input.

Features have their own tests (tests/dialogs/<package>/); these run through the real service on the
fake store.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dialogs.callbacks import CallbackData
from dialogs.engine import ROUTER
from dialogs.events import Event, EventKind
from referential.models import Referential
from tests.helpers.chat import ChatDriver
from tests.helpers.fake_store import FakeDatabase

ROOT = Path(__file__).resolve().parents[2]
STALE = "Ce bouton n’est plus valable. Que souhaitez-vous faire ?"
ISSUE_10_FORGED = ("p:i:2147483648", "at:a:9223372036854775808", "p:i:²", "p:h:٣")


async def test_unknown_input_always_answered(chat: ChatDriver) -> None:
    for text in ("/nimportequoi", "bonjour", "/plan", "/score", "/aide", "/langue", "/annuler"):
        await chat.say(text)
        assert chat.last is not None and chat.last.replies, text
    await chat.say("/nimportequoi")
    assert "Je ne connais pas la commande /nimportequoi" in chat.text()
    await chat.event(Event(EventKind.UNSUPPORTED))
    assert "texte et les boutons" in chat.text()
    await chat.event(Event.typed(""))
    assert "vide" in chat.text()


async def test_duplicate_event_id_is_handled_once(
    chat: ChatDriver, referential: Referential, fake_db: FakeDatabase
) -> None:
    await chat.register()
    q1 = referential.level_questions(1)[0]
    event = Event.button(f"a:{q1.id}:non", event_id="dup-1")
    first = await chat.event(event)
    second = await chat.event(event)  # the channel crashed before sending: the same replies
    assert first.handled and first.replies
    assert not second.handled and second.replies == first.replies
    await chat.service.replies_sent(chat.sender, "dup-1")
    third = await chat.event(event)  # sent: a redelivery does nothing at all
    assert not third.handled and not third.replies
    assert fake_db.count("answer_history") == 1


async def test_start_with_a_payload_nobody_knows(chat: ChatDriver) -> None:
    await chat.say("/start zzz_unknown")
    assert "Ce lien n’est pas (ou plus) valable" in chat.text()
    assert "Bonjour" in chat.text()  # and the welcome after it


async def test_start_abandons_a_registration(chat: ChatDriver) -> None:
    await chat.say("/start")
    await chat.press("Inscrire")
    await chat.say("/start")
    await chat.say("21310555400017")  # no longer read as a SIRET
    assert "Pour commencer, inscrivez votre collectivité" in chat.text()


async def test_a_flow_nobody_handles_falls_back_to_idle(
    chat: ChatDriver, fake_db: FakeDatabase
) -> None:
    await chat.say("/start")
    (conversation,) = fake_db.tables.rows("conversations")
    conversation["state"] = {"flow": "removed_feature", "x": 1}
    await chat.say("blablabla")  # (« bonjour » now greets)
    assert "Je n’ai pas compris" in chat.text()
    assert fake_db.rows("conversations")[0]["state"] == {"flow": "idle"}


def test_every_button_family_is_routed_by_its_own_prefix() -> None:
    assert ROUTER.buttons
    for prefix, route in ROUTER.buttons.items():
        assert issubclass(route.family, CallbackData)
        assert route.family.__prefix__ == prefix
    assert ROUTER.resolve_button("zz:garbage") is None
    assert ROUTER.resolve_button("") is None


@pytest.mark.parametrize(
    ("data", "family"),
    [
        ("a:GOV-01:oui", "AnswerButton"),
        ("ob:go", "StartOnboarding"),
        ("ob:k:commune", "KindButton"),
        ("q:menu", "QuestionnaireMenu"),
        ("r:score", "ScoreButton"),
        ("l:en", "LanguageButton"),
        ("p:l", "PlanPage"),
        ("p:i:42", "ItemButton"),
    ],
)
def test_longest_prefix_wins(data: str, family: str) -> None:
    found = ROUTER.resolve_button(data)
    assert found is not None and type(found[1]).__name__ == family
    assert found[1].pack() == data  # today's wire strings, unchanged


@pytest.mark.parametrize("data", ["r:plan", "q:xyz", "ob", "a:GOV-01", "a:GOV-01:oui:x", "l"])
def test_retired_or_malformed_data_is_not_routed(data: str) -> None:
    assert ROUTER.resolve_button(data) is None


@pytest.mark.parametrize("registered", [False, True], ids=["newcomer", "member"])
async def test_issue_10_forged_button_data_gets_the_stale_button_reply(
    chat: ChatDriver, registered: bool
) -> None:
    """Issue 10: ids past 2³¹ or 2⁶³ raised OverflowError, and digits that isdigit() accepts but
    int() refuses ("²", "٣") raised ValueError; each press got « something went wrong »."""
    if registered:
        await chat.register()
    for data in ISSUE_10_FORGED:
        outcome = await chat.tap(data)
        assert outcome.toast == "Ce bouton n’est plus valable.", data
        assert [r.text for r in outcome.replies] == [STALE], data
        expected = ["q:menu", "r:score", "p:l"] if registered else []
        assert [b.data for row in outcome.replies[0].buttons for b in row] == expected, data


def test_every_dialogs_module_imports_on_its_own() -> None:
    """Importing a package's `buttons` runs the package first: a core module that needs another
    package's buttons must not re-enter itself half-initialised, whatever is imported first."""
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "dialogs").rglob("*.py")
    )
    processes = {
        m: subprocess.Popen(
            [sys.executable, "-c", f"import {m}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for m in modules
    }
    failed = {m: p.communicate()[1].strip().splitlines()[-1:] for m, p in processes.items()}
    assert {m: err for m, err in failed.items() if processes[m].returncode} == {}


async def test_outcome_says_when_typed_text_is_expected(chat: ChatDriver) -> None:
    """Channels that number buttons (the terminal) must read « 01 » as an answer at these steps."""
    await chat.say("/start")
    assert chat.last is not None and not chat.last.expects_text  # the welcome: buttons only
    seen = [(await chat.press("Inscrire ma collectivité")).expects_text]  # the SIRET
    seen.append((await chat.say("20004697700001")).expects_text)  # the kind: buttons
    seen.append((await chat.press("Intercommunalité (EPCI)")).expects_text)  # the name
    seen.append((await chat.say("CC du Test")).expects_text)  # the département
    seen.append((await chat.say("01")).expects_text)  # the population
    seen.append((await chat.say("1200")).expects_text)  # the final check: buttons
    assert "Département : 01" in chat.text()
    assert seen == [True, False, True, True, True, False]
