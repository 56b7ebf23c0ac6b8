"""storage.supervision: an OPSN's followed collectivités' answers, streamed one collectivité at a
time, on SQLite and PostgreSQL."""

from __future__ import annotations

from referential.models import Referential
from storage import supervision
from storage.store import SqlStore
from tests.helpers.web import NOW, build_world


def test_followed_answers_only_of_followed_and_asked(db_url: str, referential: Referential) -> None:
    with build_world(db_url, referential) as world:
        p = world.places
        with world.sessions() as session, session.begin():
            answers = SqlStore(session).answers
            for place, qid, value in [
                ("beauvoir", "PAR2-01", "12"),
                ("beauvoir", "PAR2-04", "nc"),
                ("peer2", "PAR2-01", "7"),
                ("lointaine", "PAR2-01", "99"),  # followed by the other OPSN
                ("autreville", "PAR2-01", "5"),  # pending request only
            ]:
                answers.set(
                    p[place],
                    qid,
                    value,
                    referential_version="t",
                    user_id=world.users["camille"],
                    now=NOW,
                )
        with world.sessions() as session:
            got = list(
                supervision.followed_answers(session, world.opsn["occitan"], {"PAR2-01", "PAR2-04"})
            )
            assert got == sorted(
                [
                    (p["beauvoir"], {"PAR2-01": "12", "PAR2-04": "nc"}),
                    (p["peer2"], {"PAR2-01": "7"}),
                ]
            )
            assert list(supervision.followed_answers(session, world.opsn["occitan"], set())) == []
            far = list(supervision.followed_answers(session, world.opsn["lointain"], {"PAR2-01"}))
            assert far == [(p["lointaine"], {"PAR2-01": "99"})]
