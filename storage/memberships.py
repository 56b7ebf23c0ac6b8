"""Collectivités and their teams: who belongs where, and which collectivité is a person's active one.

A person may belong to several collectivités (a secrétaire de mairie of three small communes). The
active membership is the one chosen last (the highest `memberships.chosen_rank`: /collectivite, or
the team just joined), else the one joined first; every read of "the speaker's membership" follows that order.
Part of `storage.people.SqlPeople`; nothing here commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from dialogs.records import CollectiviteInfo, MemberInfo, MembershipInfo, NewCollectivite, Role
from storage import peers
from storage.models import Collectivite, Membership, User


def rowcount(result: object) -> int:
    """Rows matched by an UPDATE or DELETE (0 for anything else)."""
    return result.rowcount if isinstance(result, CursorResult) else 0


def collectivite_info(row: Collectivite) -> CollectiviteInfo:
    return CollectiviteInfo(
        id=row.id,
        siret=row.siret,
        kind=row.kind,
        name=row.name,
        departement=row.departement,
        population=row.population,
        level2_enabled=row.level2_enabled,
    )


def active_order(chosen_rank: Any, membership_id: Any) -> tuple[Any, ...]:
    """ORDER BY of a person's memberships, active first: chosen last, else joined first."""
    return (chosen_rank.is_(None), chosen_rank.desc(), membership_id)


def next_rank(user_id: int) -> Any:
    """The rank that makes a membership the person's active one: above all of theirs."""
    mine = Membership.__table__.alias("ranked")
    return (
        select(func.coalesce(func.max(mine.c.chosen_rank), 0) + 1)
        .where(mine.c.user_id == user_id)
        .scalar_subquery()
    )


class SqlMemberships:
    """The memberships half of `SqlPeople` (see storage.people)."""

    session: Session

    def memberships(self, user_id: int) -> list[MembershipInfo]:
        """Every collectivité of the person, the active one first."""
        rows = self.session.execute(
            select(Membership, Collectivite)
            .join(Collectivite, Collectivite.id == Membership.collectivite_id)
            .where(Membership.user_id == user_id)
            .order_by(*active_order(Membership.chosen_rank, Membership.id))
        ).all()
        return [
            MembershipInfo(collectivite_info(c), Role(m.role), m.function_label, len(rows))
            for m, c in rows
        ]

    def membership(self, user_id: int) -> MembershipInfo | None:
        found = self.memberships(user_id)
        return found[0] if found else None

    def membership_in(self, user_id: int, collectivite_id: int) -> MembershipInfo | None:
        row = self.session.execute(
            select(
                Membership,
                Collectivite,
                select(func.count())
                .select_from(Membership.__table__)
                .where(Membership.user_id == user_id)
                .scalar_subquery(),
            )
            .join(Collectivite, Collectivite.id == Membership.collectivite_id)
            .where(Membership.user_id == user_id, Membership.collectivite_id == collectivite_id)
        ).first()
        if row is None:
            return None
        membership, collectivite, count = row
        return MembershipInfo(
            collectivite_info(collectivite), Role(membership.role), membership.function_label, count
        )

    def set_active(self, user_id: int, collectivite_id: int) -> bool:
        result = self.session.execute(
            update(Membership)
            .where(Membership.user_id == user_id, Membership.collectivite_id == collectivite_id)
            .values(chosen_rank=next_rank(user_id))
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None:
        row = self.session.scalar(select(Collectivite).where(Collectivite.siret == siret))
        return collectivite_info(row) if row else None

    def create_collectivite(
        self, new: NewCollectivite, admin_user_id: int, now: datetime
    ) -> CollectiviteInfo:
        row = Collectivite(
            siret=new.siret,
            kind=new.kind,
            name=new.name,
            departement=new.departement,
            population=new.population,
            level2_enabled=False,
            current_index=0,
            current_grade="E",
            answered_count=0,
            referential_version="",
            created_at=now,
            last_activity_at=now,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(
            Membership(
                collectivite_id=row.id,
                user_id=admin_user_id,
                role=Role.ADMIN,
                function_label="",
                created_at=now,
                chosen_rank=next_rank(admin_user_id),  # the one just registered becomes active
            )
        )
        self.session.flush()
        return collectivite_info(row)

    def update_collectivite(
        self,
        collectivite_id: int,
        *,
        name: str | None = None,
        kind: str | None = None,
        departement: str | None = None,
        population: int | None = None,
    ) -> CollectiviteInfo | None:
        """Change the profile; a scored collectivité moves to its new peer bin (kind, band)."""
        row = self.session.get(Collectivite, collectivite_id, with_for_update=True)
        if row is None:
            return None
        new_kind = kind if kind is not None else row.kind
        new_population = population if population is not None else row.population
        if row.answered_count and (new_kind, new_population) != (row.kind, row.population):
            peers.move(self.session, row.kind, row.population, row.current_index, None)
            peers.move(self.session, new_kind, new_population, None, row.current_index)
        row.kind, row.population = new_kind, new_population
        if name is not None:
            row.name = name
        if departement is not None:
            row.departement = departement
        self.session.flush()
        return collectivite_info(row)

    def lock_collectivite(self, collectivite_id: int) -> None:
        # FOR UPDATE is dropped on SQLite, where writers are serialised anyway.
        self.session.execute(
            select(Collectivite.id).where(Collectivite.id == collectivite_id).with_for_update()
        )

    def members(self, collectivite_id: int) -> list[MemberInfo]:
        rows = self.session.execute(
            select(Membership, User.display_name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.collectivite_id == collectivite_id)
            .order_by(Membership.id)
        )
        return [
            MemberInfo(m.user_id, name, Role(m.role), m.function_label, m.created_at)
            for m, name in rows.all()
        ]

    def add_member(self, collectivite_id: int, user_id: int, role: Role, now: datetime) -> bool:
        existing = self.session.scalar(
            select(Membership.id).where(
                Membership.user_id == user_id, Membership.collectivite_id == collectivite_id
            )
        )
        if existing is not None:
            return False
        self.session.add(
            Membership(
                collectivite_id=collectivite_id,
                user_id=user_id,
                role=role,
                function_label="",
                created_at=now,
                chosen_rank=next_rank(user_id),  # the team just joined becomes the active one
            )
        )
        self.session.flush()
        self.session.execute(
            update(Collectivite)
            .where(Collectivite.id == collectivite_id)
            .values(last_activity_at=now)
        )
        return True

    def remove_member(self, collectivite_id: int, user_id: int) -> bool:
        result = self.session.execute(
            delete(Membership)
            .where(Membership.collectivite_id == collectivite_id, Membership.user_id == user_id)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def set_role(self, collectivite_id: int, user_id: int, role: Role) -> bool:
        result = self.session.execute(
            update(Membership)
            .where(Membership.collectivite_id == collectivite_id, Membership.user_id == user_id)
            .values(role=role)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    def set_function(self, user_id: int, label: str, collectivite_id: int | None = None) -> None:
        """The person's function in one collectivité (all of theirs when `collectivite_id` is
        None: a label typed right after joining names the team just joined, the active one)."""
        query = update(Membership).where(Membership.user_id == user_id)
        if collectivite_id is not None:
            query = query.where(Membership.collectivite_id == collectivite_id)
        self.session.execute(
            query.values(function_label=label).execution_options(synchronize_session=False)
        )
