"""Schemathesis against the OpenAPI schema: whatever it sends, never a server error, and every
response matches what the schema documents. Once with the links it invents (all refused), once
with genuine links so that the query parameters reach real pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ecoclic.app import web_app
from referential.models import Referential
from storage.db import create_engine, session_factory, upgrade
from tests.helpers.web import build_world

MAX_TOKEN = 400  # routes.Token's max_length
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api(tmp_path: Path, referential: Referential) -> tuple[FastAPI, dict[str, str]]:
    """The app over a seeded SQLite file, and one genuine token per link kind."""
    url = f"sqlite:///{tmp_path}/api.sqlite3"
    upgrade(url)
    with build_world(url, referential) as world:
        tokens = {
            "c": world.token("c", "beauvoir", "admin", "camille"),
            "o": world.token("o", "occitan", "referent", "romane"),
        }
        app_settings = world.settings
    engine = create_engine(url)
    return web_app(app_settings, session_factory(engine), referential), tokens


def operations(app: FastAPI) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def fuzz(operation: Any, mode: GenerationMode, tokens: dict[str, str] | None) -> None:
    """Run one operation's examples; with `tokens`, put a genuine link in every path."""

    if mode is GenerationMode.NEGATIVE and not (
        len(operation.path_parameters) or len(operation.query)
    ):
        return  # nothing to get wrong (/health)

    @given(case=operation.as_strategy(generation_mode=mode))
    @EXAMPLES
    def run(case: Any) -> None:
        token = (case.path_parameters or {}).get("token")
        # A token negated to break the schema (over 400 characters) stays as generated.
        if tokens is not None and isinstance(token, str) and len(token) <= MAX_TOKEN:
            kind = "c" if case.path.lstrip("/").removeprefix("api/").startswith("c/") else "o"
            case.path_parameters["token"] = tokens[kind]
            place = case.path_parameters.get("collectivite_id")
            if isinstance(place, int) and not isinstance(place, bool) and place >= 1:
                case.path_parameters["collectivite_id"] = 1 + place % 9  # seeded ids: 1–9
        # Well-formed requests may still be refused (403: an invented link, a collectivité the
        # OPSN does not follow): the schema documents it, so "positive data accepted" is not asked.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    run()


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_invented_links_never_break_the_server(
    api: tuple[FastAPI, dict[str, str]], mode: GenerationMode
) -> None:
    for operation in operations(api[0]):
        fuzz(operation, mode, None)


@pytest.mark.parametrize("mode", list(GenerationMode))
def test_genuine_links_with_any_parameters(
    api: tuple[FastAPI, dict[str, str]], mode: GenerationMode
) -> None:
    for operation in operations(api[0]):
        fuzz(operation, mode, api[1])
