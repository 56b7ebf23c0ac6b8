"""The target package's router, merged once for the engine."""

from __future__ import annotations

from dialogs.target.chat import router

__all__ = ["router"]
