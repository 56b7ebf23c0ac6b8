"""The roadmap PDF's text folded to Windows-1252: nothing the core font lacks becomes « ? »."""

from __future__ import annotations

import dataclasses

import pytest

from dialogs.documents.fold import ENCODING, fold
from dialogs.documents.pdf import roadmap_pdf
from referential.models import Referential
from tests.dialogs.documents.test_renderers import build, pdf_text

NAME = "Saint-Éloi-d'Œuvre ≥ 1\u202f200 ✅🌱"


@pytest.mark.parametrize(
    ("given", "folded"),
    [
        ("1\u202f200 habitants", "1\u00a0200 habitants"),  # Babel's French grouping
        ("12\u2009345", "12\u00a0345"),  # thin space
        ("a\u200ab", "a\u00a0b"),  # hair space
        ("≤ 5 et ≥ 10", "<= 5 et >= 10"),
        ("avant → après", "avant -> après"),
        ("← retour", "<- retour"),
        ("✓ fait ☑ vu ✔", "x fait x vu x"),
        ("Bravo 🎉 !", "Bravo  !"),  # emoji dropped (spaces are collapsed later, by `plain`)
        ("👩\u200d💻 équipe", " équipe"),  # a joined emoji sequence leaves nothing behind
        ("♻️ tri", " tri"),  # a symbol and its variation selector
        ("Őrség, Łódź, Iași", "Orség, Lódz, Iasi"),  # letters outside cp1252: base letters
        ("ﬁchier", "fichier"),  # compatibility ligature
        ("Saint-Éloi-d'Œuvre", "Saint-Éloi-d'Œuvre"),  # cp1252 already: unchanged
        ("« Élu·e » — 3 € … ’", "« Élu·e » — 3 € … ’"),
        (NAME, "Saint-Éloi-d'Œuvre >= 1\u00a0200 x"),
    ],
)
def test_fold_keeps_meaning_within_windows_1252(given: str, folded: str) -> None:
    assert fold(given) == folded
    folded.encode(ENCODING)  # drawable by the core font, character by character


def test_the_pdf_shows_no_question_mark_that_was_not_given(referential: Referential) -> None:
    """The referential's own questions end with « ? »: the same roadmap with plain ASCII names
    gives the count of question marks the input has."""
    plain = build(referential)
    data = dataclasses.replace(
        build(referential, name=NAME), kind="commune ≤ 2\u202f000 habitants → ✓"
    )
    text, _ = pdf_text(roadmap_pdf(data))
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert flat.count("?") == pdf_text(roadmap_pdf(plain))[0].count("?")
    assert "Saint-Éloi-d'Œuvre >= 1 200 x" in flat
    assert "commune <= 2 000 habitants -> x" in flat
