"""The documents' button family (prefix "doc"): "doc:f:<format>" sends that file."""

from __future__ import annotations

from dialogs.callbacks import CallbackData
from dialogs.documents.files import DocumentFormat


class SendDocument(CallbackData, prefix="doc:f"):
    fmt: DocumentFormat


class DocumentsMenu(CallbackData, prefix="doc:m"):
    """The /documents screen (from other screens' buttons)."""
