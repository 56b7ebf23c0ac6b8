"""0006 lets plan items exist without a question (own actions) and keeps referential items as they
were: a database at 0005 upgrades with its items marked "ref", and going back drops own actions."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import text

from dialogs.ports import Transaction
from dialogs.records import ItemOrigin
from storage.db import alembic_config, create_engine, session_factory
from tests.helpers.contract import NOW, collectivite
from tests.helpers.db import sql_backend


def test_items_of_a_0005_database_upgrade_as_referential_ones(db_url: str) -> None:
    engine = create_engine(db_url)
    backend = sql_backend("sql", session_factory(engine))
    ids: dict[str, int] = {}

    def made(tx: Transaction) -> None:
        cid, uid = collectivite(tx)
        ids["cid"], ids["uid"] = cid, uid

    try:
        backend.db.run(made)
        engine.dispose()
        command.downgrade(alembic_config(db_url), "0005")
        with engine.begin() as connection:  # an item written by the 0005 code
            connection.execute(
                text(
                    "INSERT INTO action_items (collectivite_id, question_id, status, reason, "
                    "reminders_muted, created_at, updated_at) "
                    "VALUES (:c, 'GOV-01', 'en_cours', '', false, :now, :now)"
                ),
                {"c": ids["cid"], "now": NOW},
            )
        engine.dispose()
        command.upgrade(alembic_config(db_url), "head")

        def read(tx: Transaction) -> None:
            (old,) = tx.store.plan.items(ids["cid"])
            assert (old.question_id, old.origin, old.title, old.opsn_id) == (
                "GOV-01",
                ItemOrigin.REFERENTIAL,
                None,
                None,
            )
            own = tx.store.plan.create_own_item(
                ids["cid"],
                origin=ItemOrigin.TEAM,
                title="Éteindre les écrans le soir",
                details=None,
                theme_id="GOV",
                priority=2,
                due_date=date(2027, 3, 15),
                assignee_id=ids["uid"],
                opsn_id=None,
                actor_id=ids["uid"],
                now=NOW,
            )
            assert own.question_id is None and own.origin is ItemOrigin.TEAM

        backend.db.run(read)
        engine.dispose()
        command.downgrade(alembic_config(db_url), "0005")
        with engine.connect() as connection:
            left = connection.execute(text("SELECT question_id FROM action_items")).scalars()
            assert list(left) == ["GOV-01"]
            events = connection.execute(text("SELECT count(*) FROM action_events")).scalar_one()
            assert events == 0  # the own action's creation went with it
        command.upgrade(alembic_config(db_url), "head")
    finally:
        engine.dispose()
