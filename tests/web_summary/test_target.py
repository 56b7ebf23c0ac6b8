"""The page's way to the target in its three states: reached, within reach of the open actions, and
out of reach until more questions are answered. The numbers come from dialogs.target.reach."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.target.reach import path_to
from storage.store import SqlStore
from tests.helpers.web import NOW, World


def set_index_target(world: World, index: int) -> None:
    with world.sessions() as session, session.begin():
        SqlStore(session).roadmap.set_target(
            world.places["beauvoir"],
            grade=None,
            index=index,
            due_date=date(2027, 6, 30),
            user_id=world.users["camille"],
            now=NOW,
        )


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (5, "— atteinte.</p>"),
        (100, "actions ouvertes ne suffisent pas : répondez aux questions restantes"),
    ],
)
async def test_reached_and_out_of_reach_targets(
    sqlite_world: World, wanted: int, expected: str
) -> None:
    world = sqlite_world
    set_index_target(world, wanted)
    url = world.url("c", "beauvoir", "admin", "camille")
    async with world.client() as client:
        html = (await client.get(url)).text
        data = (await client.get("/api" + url)).json()
    target = data["target"]
    with world.sessions() as session:
        answers = SqlStore(session).answers.of(world.places["beauvoir"])
    path = path_to(world.ref, answers, wanted)
    assert target["reached"] is (data["index"] >= wanted)
    assert target["enough"] is path.reached and len(target["actions"]) == len(path.actions)
    assert target["gap"] == max(0, wanted - data["index"])
    assert f"Cible : indice {wanted} d’ici le 30 juin 2027</strong>" in html
    assert expected in html
    if target["reached"]:
        assert "<dt>Écart</dt><dd>aucun</dd>" in html and "Actions à réaliser" not in html
