"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from storage.db import MIGRATIONS_DIR, create_engine
from storage.models import Base


def test_migrations_match_models(db_url: str) -> None:
    engine = create_engine(db_url)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    with engine.connect() as connection:
        differences = diff(connection)
    engine.dispose()
    assert differences == []


def _assigned(path: Path, name: str) -> object:
    """The literal a migration file assigns to `name` (read without importing alembic)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [
            name
        ]:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{path.name} assigns no {name}")


def test_each_revision_is_its_file_number() -> None:
    """storage.db._at_head compares the database's revision with the newest file's number."""
    files = sorted((MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert files
    previous = None
    for path in files:
        number = path.stem.split("_", 1)[0]
        assert _assigned(path, "revision") == number, path.name
        assert _assigned(path, "down_revision") == previous, path.name
        previous = number


def test_upgrade_at_head_imports_no_alembic(db_url: str) -> None:
    """Start-up cost: a database already at head is checked without importing alembic."""
    script = (
        "import sys\n"
        "from storage.db import upgrade\n"
        f"upgrade({db_url!r})\n"
        "assert 'alembic' not in sys.modules, sorted(m for m in sys.modules if 'alembic' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_level2_answers_widen_and_narrow_back(db_url: str) -> None:
    """0007 widens answer values for level-2 text answers; going back cuts what no longer fits."""
    from alembic import command
    from sqlalchemy import text

    from dialogs.ports import Transaction
    from storage.db import alembic_config, session_factory
    from tests.helpers.contract import NOW, collectivite
    from tests.helpers.db import sql_backend

    long_text = "Adjoint chargé de l’environnement et du numérique responsable"
    engine = create_engine(db_url)
    backend = sql_backend("sql", session_factory(engine))

    def answer(tx: Transaction) -> None:
        cid, uid = collectivite(tx)
        tx.store.answers.set(
            cid, "GOV2-02", long_text, referential_version="2", user_id=uid, now=NOW
        )

    try:
        backend.db.run(answer)
        assert [r["value"] for r in backend.rows("answers")] == [long_text]
        engine.dispose()
        command.downgrade(alembic_config(db_url), "0004")
        with engine.connect() as connection:
            value = connection.execute(text("SELECT value FROM answer_history")).scalar_one()
        assert value == long_text[:16]
        command.upgrade(alembic_config(db_url), "head")
        with engine.begin() as connection:
            connection.execute(text("UPDATE answers SET value = :v"), {"v": long_text})
            value = connection.execute(text("SELECT value FROM answers")).scalar_one()
        assert value == long_text
    finally:
        engine.dispose()
