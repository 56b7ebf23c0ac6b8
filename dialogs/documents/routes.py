"""The documents package's router, merged once for the engine."""

from __future__ import annotations

from dialogs.documents.chat import router

__all__ = ["router"]
