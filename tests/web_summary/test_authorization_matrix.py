"""The authorization matrix of the pages: every page and API route that can show Beauvoir, tried
with every link a stranger, another collectivité's administrator, a former member of Beauvoir and
another OPSN's referent has (or forged): none of them shows Beauvoir."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from storage.models import Membership
from tests.helpers.web import PUBLIC_URL, World
from web_summary.links import LinkSigner

# Every route that shows one collectivité or an OPSN (with {t} a link token, {c} Beauvoir's id).
ROUTES = (
    "/c/{t}",
    "/api/c/{t}",
    "/o/{t}/",
    "/o/{t}/export.csv",
    "/api/o/{t}",
    "/o/{t}/c/{c}",
    "/api/o/{t}/c/{c}",
)
SECRET = "Commune de Beauvoir"


def tokens(world: World, persona: str) -> list[str]:
    """The links this persona holds: what /lien gave them, and anything they could make up."""
    forged = LinkSigner("not-the-platform-key-" * 2, PUBLIC_URL)
    beauvoir = world.places["beauvoir"]
    made_up = [
        "x",
        forged.token("c", beauvoir, "admin", world.users["sam"]),
        forged.token("o", world.opsn["occitan"], "referent", world.users["lou"]),
    ]
    held = {
        "stranger": [],
        "other_member": [world.token("c", "autreville", "admin", "sam")],
        "former_member": [world.token("c", "beauvoir", "member", "dominique")],
        "other_referent": [world.token("o", "lointain", "referent", "lou")],
    }[persona]
    return [*held, *made_up]


@pytest.mark.parametrize("persona", ["stranger", "other_member", "former_member", "other_referent"])
async def test_no_outsider_sees_beauvoir(sqlite_world: World, persona: str) -> None:
    world = sqlite_world
    held = tokens(world, persona)  # signed while Dominique was still in the team
    with world.sessions() as session, session.begin():
        session.execute(delete(Membership).where(Membership.user_id == world.users["dominique"]))
    shown = []
    async with world.client() as client:
        for route in ROUTES:
            for token in held:
                path = route.format(t=token, c=world.places["beauvoir"])
                response = await client.get(path)
                assert response.status_code in (200, 403, 404, 422), (path, response.status_code)
                if SECRET in response.text or "Dominique" in response.text:
                    shown.append(f"{route} → {response.status_code}")
    assert shown == []


async def test_the_routes_do_show_beauvoir_to_its_own_people(sqlite_world: World) -> None:
    """The same routes with the right links show Beauvoir: the matrix above can see a leak."""
    world = sqlite_world
    own = {
        "c": world.token("c", "beauvoir", "admin", "camille"),
        "o": world.token("o", "occitan", "referent", "romane"),
    }
    async with world.client() as client:
        for route in ROUTES:
            token = own["c"] if "/c/{t}" in route else own["o"]
            response = await client.get(route.format(t=token, c=world.places["beauvoir"]))
            assert response.status_code == 200, route
            assert SECRET in response.text, route
