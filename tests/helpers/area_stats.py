"""Other collectivités that answered, for tests of the area averages (chat, page, storage)."""

from __future__ import annotations

from itertools import count

from dialogs.ports import Transaction
from dialogs.records import NewCollectivite, ScoreRecord
from tests.helpers.contract import NOW, person

_serial = count(1)


def answered_peers(
    tx: Transaction, departement: str, indexes: list[int], *, follower_of: int | None = None
) -> list[int]:
    """One collectivité per index, in `departement`, each with that index stored; with
    `follower_of` (an OPSN id), each is followed by it (attachment accepted). Their names all
    start with « Commune secrète » so a test can check none is ever shown."""
    made = []
    for index in indexes:
        n = next(_serial)
        admin = person(tx, f"peer{n}")
        new = NewCollectivite(
            siret=f"2199{n:010d}",
            kind="commune",
            name=f"Commune secrète {n}",
            departement=departement,
            population=900,
        )
        cid = tx.store.people.create_collectivite(new, admin, NOW).id
        tx.store.answers.record_score(cid, ScoreRecord(index, "C", 10, 32), user_id=admin, now=NOW)
        if follower_of is not None:
            follow(tx, cid, follower_of)
        made.append(cid)
    return made


def follow(tx: Transaction, collectivite_id: int, opsn_id: int) -> None:
    """The OPSN accepts to follow the collectivité."""
    referent = person(tx, "area-referent")
    asked = tx.store.opsn.request_attachment(collectivite_id, opsn_id, referent, NOW)
    assert tx.store.opsn.decide_attachment(asked.id, True, referent, NOW)
