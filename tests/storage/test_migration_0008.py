"""Migration 0008 (issue 16): a person may belong to several collectivités. A database at 0005
keeps working (each person's one membership is their active one); going back keeps the active one.
Run on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Connection, text

from dialogs.ports import Transaction
from dialogs.records import Role
from storage.db import alembic_config, create_engine, session_factory, upgrade
from tests.helpers.contract import sender
from tests.helpers.db import BACKENDS, create_postgres_database, drop_postgres_database, sql_backend

THEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def url_at_0005(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/v5.sqlite3"
    else:
        url = create_postgres_database()
    upgrade(url, "0005")
    yield url
    if request.param == "postgresql":
        drop_postgres_database(url)


def _seed(connection: Connection) -> None:
    """Two collectivités, an administrator each, as version 0005 stored them."""
    for cid, siret in ((1, "21310555400017"), (2, "21600057000012")):
        connection.execute(
            text(
                "INSERT INTO collectivites (id, siret, kind, name, departement, population, "
                "level2_enabled, current_index, current_grade, answered_count, "
                "referential_version, created_at, last_activity_at) VALUES (:id, :siret, "
                "'commune', :name, '31', 1200, false, 0, 'E', 0, '', :t, :t)"
            ),
            {"id": cid, "siret": siret, "name": f"Commune {cid}", "t": THEN},
        )
        connection.execute(
            text(
                "INSERT INTO users (id, channel, external_id, chat_id, display_name, "
                "reminders_paused, digest_weekday, digest_hour, unreachable, created_at) "
                "VALUES (:id, 'test', :ext, :ext, :name, false, 0, 9, false, :t)"
            ),
            {"id": cid, "ext": str(cid), "name": f"Admin {cid}", "t": THEN},
        )
        connection.execute(
            text(
                "INSERT INTO memberships (collectivite_id, user_id, role, function_label, "
                "created_at) VALUES (:id, :id, 'admin', '', :t)"
            ),
            {"id": cid, "t": THEN},
        )


def test_upgrade_keeps_each_membership_active_and_allows_more(url_at_0005: str) -> None:
    engine = create_engine(url_at_0005)
    with engine.begin() as connection:
        _seed(connection)
    engine.dispose()
    upgrade(url_at_0005)
    engine = create_engine(url_at_0005)
    backend = sql_backend("sql", session_factory(engine))

    def work(tx: Transaction) -> None:
        people = tx.store.people
        user = tx.user_for(sender("1", "Admin 1"), THEN)
        assert tx.member_of(user.id) == people.membership(user.id)  # the sender read agrees
        before = people.membership(user.id)
        assert before is not None and before.collectivite.id == 1 and before.is_admin
        assert before.memberships == 1
        assert people.add_member(2, user.id, Role.MEMBER, THEN + timedelta(hours=1))
        now_active = people.membership(user.id)
        assert now_active is not None and now_active.collectivite.id == 2
        assert now_active.memberships == 2
        assert people.set_active(user.id, 1)

    try:
        backend.db.run(work)
        engine.dispose()
        command.downgrade(alembic_config(url_at_0005), "0005")
        with engine.connect() as connection:
            kept = connection.execute(
                text("SELECT user_id, collectivite_id FROM memberships ORDER BY user_id")
            ).all()
        assert [tuple(row) for row in kept] == [(1, 1), (2, 2)]  # each keeps the active one
        command.upgrade(alembic_config(url_at_0005), "head")
    finally:
        engine.dispose()
