"""Text folded to what the PDF's core fonts can draw (Windows-1252), without a heavy font file.

fpdf2's standard Helvetica only knows Windows-1252: anything else used to come out as « ? ». Babel
groups French numbers with a narrow no-break space (U+202F), names and titles may carry ≥, arrows,
check marks or emoji, and a few letters (ő, ł, ș…) are outside the code page. Each is folded to the
nearest thing that reads the same: a no-break space, « >= », « -> », « x », the base letter; symbols
with no plain equivalent (emoji, pictographs) are dropped rather than printed as « ? ».
"""

from __future__ import annotations

import unicodedata

ENCODING = "windows-1252"

# Characters with a plain-text equivalent (checked before any other rule).
REPLACEMENTS: dict[str, str] = {
    # Spaces: Babel's French grouping (U+202F), thin and other fixed-width spaces.
    "\u202f": "\u00a0",
    "\u2009": "\u00a0",
    "\u200a": "\u00a0",
    "\u2007": "\u00a0",
    "\u2008": "\u00a0",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u205f": " ",
    "\u3000": " ",
    # Comparisons.
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "≈": "~",
    # Arrows.
    "→": "->",
    "⟶": "->",
    "➜": "->",
    "➔": "->",
    "➡": "->",
    "⇒": "=>",
    "←": "<-",
    "⟵": "<-",
    "⬅": "<-",
    "⇐": "<=",
    "↔": "<->",
    "⇔": "<=>",
    "↑": "^",
    "↓": "v",
    # Check marks and crosses.
    "✓": "x",
    "✔": "x",
    "☑": "x",
    "✅": "x",
    "☐": "[ ]",
    # Punctuation outside the code page.
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "⁄": "/",
    "∕": "/",
    "′": "'",
    "″": '"',
}
# Zero-width characters and joiners (emoji sequences) that vanish.
DROPPED = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\ufe0e", "\ufe0f"}


def _drawable(ch: str) -> bool:
    try:
        ch.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def fold_char(ch: str) -> str:
    """One character as the core font can draw it ("" when nothing reads the same)."""
    if ch in REPLACEMENTS:
        return REPLACEMENTS[ch]
    if ch in DROPPED:
        return ""
    if _drawable(ch):
        return ch
    if unicodedata.category(ch).startswith("Z"):
        return " "  # any other space
    # A letter with a diacritic the code page lacks (ő, ș) or a compatibility form (ﬁ, ⅓): NFKD,
    # keeping what can be drawn and dropping the combining marks that cannot.
    decomposed = unicodedata.normalize("NFKD", ch)
    if decomposed != ch:
        return "".join(c for c in decomposed if not unicodedata.combining(c) and _drawable(c))
    return LETTERS.get(ch, "")


# Letters NFKD does not decompose (a stroke is not a combining mark).
LETTERS = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ı": "i"}


def fold(text: str) -> str:
    """`text` with every character the Windows-1252 core font can draw; nothing becomes « ? »."""
    if all(_drawable(ch) for ch in text):
        return text
    return "".join(fold_char(ch) for ch in text)
