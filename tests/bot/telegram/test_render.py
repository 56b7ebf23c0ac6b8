"""Rendering replies for Telegram: HTML escaping, 4096-character chunks, keyboards, 64-byte data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.render import (
    EMPTY_TEXT,
    MAX_TEXT,
    Chunk,
    check_keyboard,
    cost,
    escape,
    keyboard_json,
    render,
    split_text,
)
from dialogs.replies import Button, Reply, ReplyBuffer


def test_escapes_only_what_html_parse_mode_needs() -> None:
    assert escape("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d"
    assert escape('« l’équipe » "ok"') == '« l’équipe » "ok"'


def test_short_reply_is_one_chunk_with_its_keyboard() -> None:
    keyboard = ((Button("Oui", "a:GOV-01:oui"), Button("Non", "a:GOV-01:non")),)
    assert render(Reply("Question <1>", keyboard)) == [Chunk("Question &lt;1&gt;", keyboard)]


def test_empty_text_still_makes_a_valid_message() -> None:
    assert render(Reply("  ", ((Button("Menu", "q:menu"),),)))[0].html == EMPTY_TEXT


def test_long_reply_splits_at_paragraphs_with_keyboard_on_the_last_chunk() -> None:
    paragraphs = [f"Paragraphe {i} : " + " ".join(["mot"] * 150) for i in range(12)]  # ~7 500
    keyboard = ((Button("Suite", "r:plan"),),)
    chunks = render(Reply("\n\n".join(paragraphs), keyboard))
    assert len(chunks) == 2
    assert all(len(c.html) <= MAX_TEXT for c in chunks)
    assert [c.keyboard for c in chunks] == [(), keyboard]
    rebuilt = "\n\n".join(c.html for c in chunks)
    assert rebuilt == "\n\n".join(paragraphs)  # cut between paragraphs only


def test_escaping_counts_towards_the_limit() -> None:
    text = "&" * 3000  # 15 000 characters once escaped, and no separator at all
    chunks = split_text(text)
    assert all(cost(c) <= MAX_TEXT for c in chunks)
    assert "".join(chunks) == text


def test_utf16_length_is_what_counts() -> None:
    text = "🌱" * 3000  # 2 UTF-16 code units each
    chunks = split_text(text)
    assert len(chunks) == 2 and all(cost(c) <= MAX_TEXT for c in chunks)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab<&> é🌱\n"), min_size=0, max_size=60),
        max_size=40,
    ),
    st.integers(min_value=8, max_value=200),
)
def test_any_text_fits_and_keeps_its_words(parts: list[str], limit: int) -> None:
    text = "".join(parts)
    chunks = split_text(text, limit)
    assert all(cost(chunk) <= limit and chunk.strip() for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


def test_keyboard_json_and_url_buttons() -> None:
    keyboard = ((Button("Voir", url="https://example.org/s/1"), Button("Plan", "r:plan")),)
    assert keyboard_json(keyboard) == {
        "inline_keyboard": [
            [
                {"text": "Voir", "url": "https://example.org/s/1"},
                {"text": "Plan", "callback_data": "r:plan"},
            ]
        ]
    }


def test_callback_data_is_checked_in_bytes() -> None:
    check_keyboard(((Button("ok", "é" * 32),),))  # 64 bytes: accepted
    with pytest.raises(ValueError):
        Button("trop", "é" * 33)  # 66 bytes: refused when the button is made
    with pytest.raises(ValueError):
        check_keyboard(((Button("rien"),),))  # neither data nor url


def test_html_reply_is_sent_as_is_and_falls_back_to_plain_when_too_long() -> None:
    buffer = ReplyBuffer()
    buffer.add("<b>Statut :</b> à faire &amp; suivi", html=True)
    (reply,) = buffer.replies
    assert reply.text == "Statut : à faire & suivi"  # plain for the terminal and the outbox
    assert render(reply) == [Chunk("<b>Statut :</b> à faire &amp; suivi")]
    assert Reply.from_json(reply.to_json()) == reply
    long = ReplyBuffer()
    long.add("<b>T</b>\n\n" + "mot " * 2000, html=True)
    chunks = render(long.replies[0])
    assert len(chunks) > 1 and all("<b>" not in c.html for c in chunks)
