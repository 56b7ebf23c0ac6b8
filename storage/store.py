"""The SQLAlchemy implementation of the engine's `Store` port, bound to one session (one transaction).

One small class per aggregate, each in its own module: `people` (storage.people), `answers`
(storage.answers), `plan` (storage.plan), `opsn` (storage.opsn), `outbox` (storage.outbox),
`privacy` (storage.privacy), `roadmap` (storage.targets) and `proposals` (storage.proposals).
Nothing here commits: the caller's unit of work does (`storage.database.SqlDatabase.run`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from storage.answers import SqlAnswers
from storage.opsn import SqlOpsn
from storage.outbox import SqlOutbox
from storage.people import SqlPeople
from storage.plan import SqlPlan
from storage.privacy import SqlPrivacy
from storage.proposals import SqlProposals
from storage.targets import SqlRoadmap


class SqlStore:
    """Every aggregate works in the same session, so one event's changes commit together."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._people = SqlPeople(session)
        self._answers = SqlAnswers(session)
        self._plan = SqlPlan(session)
        self._opsn = SqlOpsn(session)
        self._outbox = SqlOutbox(session)
        self._privacy = SqlPrivacy(session)
        self._roadmap = SqlRoadmap(session)
        self._proposals = SqlProposals(session)

    @property
    def people(self) -> SqlPeople:
        return self._people

    @property
    def answers(self) -> SqlAnswers:
        return self._answers

    @property
    def plan(self) -> SqlPlan:
        return self._plan

    @property
    def opsn(self) -> SqlOpsn:
        return self._opsn

    @property
    def outbox(self) -> SqlOutbox:
        return self._outbox

    @property
    def privacy(self) -> SqlPrivacy:
        return self._privacy

    @property
    def roadmap(self) -> SqlRoadmap:
        return self._roadmap

    @property
    def proposals(self) -> SqlProposals:
        return self._proposals
