"""Replies as Matrix notices, and typed numbers or labels back to the buttons they stand for."""

from __future__ import annotations

from bot.matrix.render import Choices, body, notice, replacement, with_start_lines
from dialogs.events import EventKind
from dialogs.replies import Button, Reply

QUESTION = Reply(
    "Avez-vous un référent ?",
    ((Button("✅ Oui", "a:Q1:oui"), Button("Non", "a:Q1:non")), (Button("Je ne sais pas", "a:Q1:nsp"),), (Button("Le guide", url="https://example.org/guide"),)),
)  # fmt: skip


def test_choices_are_numbered_lines_of_the_plain_body() -> None:
    text = body(QUESTION)
    assert text.splitlines() == [
        "Avez-vous un référent ?",
        "",
        "1. ✅ Oui",
        "2. Non",
        "3. Je ne sais pas",
        "• Le guide : https://example.org/guide",
    ]
    content = notice(QUESTION)
    assert (content["msgtype"], content["body"]) == ("m.notice", text)
    assert "formatted_body" not in content  # the plain body carries everything
    assert content["fr.ecoclic.choices"] == [["✅ Oui", "a:Q1:oui"], ["Non", "a:Q1:non"], ["Je ne sais pas", "a:Q1:nsp"]]  # fmt: skip
    assert "fr.ecoclic.choices" not in notice(Reply("Merci"))


def test_an_edit_is_an_m_replace_whose_new_content_is_a_notice() -> None:
    content = replacement("$question", Reply("Votre réponse : Oui"))
    assert content["msgtype"] == "m.notice"
    assert content["m.new_content"] == {"msgtype": "m.notice", "body": "Votre réponse : Oui"}
    assert content["m.relates_to"] == {"rel_type": "m.replace", "event_id": "$question"}
    assert content["body"] == "* Votre réponse : Oui"


def test_deep_links_come_with_the_message_to_send_on_tchap() -> None:
    text = with_start_lines("Lien :\nhttps://t.me/ecoclic_bot?start=inv_AbC-12_xyz")
    assert text.endswith("\nSur Tchap, envoyez ce message au bot : /start inv_AbC-12_xyz")
    assert with_start_lines("https://example.org/?start=x") == "https://example.org/?start=x"


def test_the_engines_start_line_gives_way_to_the_tchap_one() -> None:
    """The engine writes "/start CODE" beneath each link for Telegram; Matrix shows its own once."""
    link = "https://t.me/mairie_bot?start=ref_AbC-12_xyz"
    for line in (
        "Ou envoyez ce message au bot : /start ref_AbC-12_xyz",
        "Or send this message to the bot: /start ref_AbC-12_xyz",
    ):
        assert with_start_lines(f"{link}\n{line}\nFin") == (
            f"{link}\nSur Tchap, envoyez ce message au bot : /start ref_AbC-12_xyz\nFin"
        )
    other = f"{link}\nOu envoyez ce message au bot : /start ref_AbC-12_xyzW"
    assert with_start_lines(other).count("/start") == 2  # another code's line stays


def test_typed_number_or_label_presses_the_last_keyboard_of_the_room() -> None:
    choices = Choices()
    choices.remember("!room", "$question", QUESTION)
    for typed, data in (("1", "a:Q1:oui"), (" 2. ", "a:Q1:non"), ("oui", "a:Q1:oui"), ("JE NE SAIS PAS", "a:Q1:nsp")):  # fmt: skip
        event = choices.event("!room", typed, "mx:$e")
        assert (event.kind, event.data, event.message_ref) == (EventKind.BUTTON, data, "$question")
        assert event.event_id == "mx:$e"
    assert choices.event("!room", "4", "mx:$f").kind is EventKind.TEXT  # the link is no choice
    assert choices.event("!room", "12", "mx:$g").text == "12"
    assert choices.event("!other", "1", "mx:$h").kind is EventKind.TEXT  # per room
    command = choices.event("!room", "/score", "mx:$i")
    assert (command.kind, command.command) == (EventKind.COMMAND, "score")


def test_a_number_is_text_when_the_engine_waits_for_text() -> None:
    choices = Choices()
    choices.remember("!room", "$question", QUESTION)
    choices.expect_text("!room", True)  # e.g. « Dans quel département ? »
    typed = choices.event("!room", "01", "mx:$a")
    assert (typed.kind, typed.text) == (EventKind.TEXT, "01")
    assert choices.event("!room", "oui", "mx:$b").data == "a:Q1:oui"  # a label still presses
    choices.expect_text("!room", False)
    assert choices.event("!room", "1", "mx:$c").data == "a:Q1:oui"


def test_the_last_keyboard_is_recalled_from_our_own_messages_after_a_restart() -> None:
    choices = Choices()
    assert not choices.knows("!a")
    edit = replacement("$q2", QUESTION)
    history = [("$edit", edit), ("$q1", notice(QUESTION)), ("$junk", {"fr.ecoclic.choices": [1]})]
    choices.recall("!a", [("$thanks", notice(Reply("Merci"))), *history])
    event = choices.event("!a", "2", "mx:$x")
    assert (event.data, event.message_ref) == ("a:Q1:non", "$q2")  # the edited message
    choices.recall("!b", [("$junk", {"fr.ecoclic.choices": [1]}), ("$plain", {"body": "x"})])
    assert not choices.knows("!b")


def test_a_reply_without_buttons_keeps_the_last_keyboard_and_memory_is_bounded() -> None:
    choices = Choices(limit=2)
    choices.remember("!a", "$1", QUESTION)
    choices.remember("!a", "$2", Reply("Merci"))
    assert choices.event("!a", "1", "mx:$x").message_ref == "$1"
    choices.remember("!b", "$3", QUESTION)
    choices.remember("!c", "$4", QUESTION)
    assert choices.event("!a", "1", "mx:$y").kind is EventKind.TEXT  # the oldest room forgotten
    assert choices.event("!c", "1", "mx:$z").kind is EventKind.BUTTON
