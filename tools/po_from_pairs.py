"""Write an English .po catalog from a Python file of (French msgid, English) pairs.

Usage: python tools/po_from_pairs.py pairs.py dialogs/locales/en/LC_MESSAGES/<module>.po
Handy for translators who prefer editing pairs; the .po files are what the application reads.
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def main(pairs_file: str, po_file: str) -> None:
    pairs: dict[str, str] = runpy.run_path(pairs_file)["PAIRS"]
    catalog = Catalog(locale="en", project="ecoclic-chat", charset="utf-8")
    for msgid, msgstr in pairs.items():
        catalog.add(msgid, msgstr)
    with open(po_file, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
