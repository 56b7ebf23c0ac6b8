"""Fixtures of the web summary tests: the seeded world on each database backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from referential.models import Referential
from tests.helpers.web import World, build_world


@pytest.fixture
def world(db_url: str, referential: Referential) -> Iterator[World]:
    with build_world(db_url, referential) as built:
        yield built


@pytest.fixture
def sqlite_world(sqlite_url: str, referential: Referential) -> Iterator[World]:
    with build_world(sqlite_url, referential) as built:
        yield built
