"""The fake Bot API fixture, for the fake's own tests."""

from tests.helpers.fixtures import fake_bot_api

__all__ = ["fake_bot_api"]
