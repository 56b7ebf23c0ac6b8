"""The one exception of the referential package: a problem located by file, item id and field."""

from __future__ import annotations


class ReferentialError(Exception):
    """A problem in the referential data.

    `file` is relative to the data folder (``themes/01-gouvernance.yaml``), `item_id` the question,
    theme, term or objective concerned (None for a whole file), `field` the dotted path of the field
    inside that item (None when the whole item is concerned). `str()` joins what is known:
    ``themes/01-gouvernance.yaml: GOV-02: help: trop long (612 caractères, maximum 600)``.
    """

    def __init__(self, file: str, item_id: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.item_id = item_id
        self.field = field
        self.message = message
        super().__init__(file, item_id, field, message)

    def __str__(self) -> str:
        parts = [self.file, self.item_id, self.field, self.message]
        return ": ".join(part for part in parts if part)

    def __repr__(self) -> str:
        return f"ReferentialError({str(self)!r})"
