"""What the engine needs from storage, as protocols grouped by aggregate.

`Store` is one event's view of the database, inside one transaction that the caller commits:
`store.people` (collectivités, their people, invitations, preferences), `store.answers` (answers and
scores), `store.plan` (action items), `store.opsn` (OPSN, referents, attachments), `store.outbox`
(messages for other users, written in the same transaction as the change that causes them),
`store.privacy` (exports and erasure), `store.roadmap` (the target and the score history) and
`store.proposals` (recommendations pushed by OPSN).
`Database.run` is the unit of work around one event. Storage implements these with SQLAlchemy;
`tests/helpers/fake_store.py` implements them in memory, and one contract suite runs on both.
One module per aggregate; import them from here.
"""

from __future__ import annotations

from dialogs.ports.answers import AnswerStore
from dialogs.ports.opsn import OpsnStore
from dialogs.ports.people import PeopleStore
from dialogs.ports.plan import Followed, PlanMove, PlanStore
from dialogs.ports.privacy import PrivacyStore
from dialogs.ports.proposals import ProposalStore
from dialogs.ports.roadmap import RoadmapStore
from dialogs.ports.store import Gathered, Outbox, Store
from dialogs.ports.unit import Conflict, Database, KeptReplies, Transaction

__all__ = [
    "AnswerStore",
    "Conflict",
    "Database",
    "Followed",
    "Gathered",
    "KeptReplies",
    "OpsnStore",
    "Outbox",
    "PeopleStore",
    "PlanMove",
    "PlanStore",
    "PrivacyStore",
    "ProposalStore",
    "RoadmapStore",
    "Store",
    "Transaction",
]
