"""The SQLAlchemy implementation of the engine's `Store` port, bound to one session (one transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.ports import CollectiviteInfo, MembershipInfo, NewCollectivite, ScoreRecord, UserInfo
from dialogs.replies import Reply
from storage import peers
from storage.models import (
    Answer,
    AnswerHistory,
    Collectivite,
    JoinRequest,
    Membership,
    OutboxMessage,
    ScoreSnapshot,
    User,
)

if TYPE_CHECKING:
    from storage.opsn import SqlOpsn
    from storage.plan import SqlPlan
    from storage.team import SqlTeam


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


def user_info(row: User) -> UserInfo:
    return UserInfo(
        id=row.id,
        channel=row.channel,
        external_id=row.external_id,
        chat_id=row.chat_id,
        display_name=row.display_name,
        locale=row.locale,
        language_code=row.language_code,
    )


class SqlStore:
    """Every method runs in the caller's session; nothing here commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def team(self) -> SqlTeam:
        from storage.team import SqlTeam  # late import: storage.opsn imports this module

        return SqlTeam(self.session)

    @property
    def opsn(self) -> SqlOpsn:
        from storage.opsn import SqlOpsn

        return SqlOpsn(self.session)

    @property
    def plan(self) -> SqlPlan:
        from storage.plan import SqlPlan

        return SqlPlan(self.session)

    async def membership(self, user_id: int) -> MembershipInfo | None:
        row = (
            await self.session.execute(
                select(Membership, Collectivite)
                .join(Collectivite, Collectivite.id == Membership.collectivite_id)
                .where(Membership.user_id == user_id)
            )
        ).first()
        if row is None:
            return None
        membership, collectivite = row
        return MembershipInfo(
            collectivite_info(collectivite), membership.role, membership.function_label
        )

    async def find_collectivite_by_siret(self, siret: str) -> CollectiviteInfo | None:
        row = await self.session.scalar(select(Collectivite).where(Collectivite.siret == siret))
        return collectivite_info(row) if row else None

    async def create_collectivite(
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
        await self.session.flush()
        self.session.add(
            Membership(
                collectivite_id=row.id,
                user_id=admin_user_id,
                role="admin",
                function_label="",
                created_at=now,
            )
        )
        await self.session.flush()
        return collectivite_info(row)

    async def answers(self, collectivite_id: int) -> dict[str, str]:
        rows = await self.session.execute(
            select(Answer.question_id, Answer.value).where(
                Answer.collectivite_id == collectivite_id
            )
        )
        return {qid: value for qid, value in rows.all()}

    async def set_answer(
        self,
        collectivite_id: int,
        question_id: str,
        value: str | None,
        *,
        referential_version: str,
        user_id: int,
        now: datetime,
    ) -> bool:
        current = await self.session.get(Answer, (collectivite_id, question_id))
        if (current.value if current else None) == value:
            return False
        if value is None:
            await self.session.execute(
                delete(Answer).where(
                    Answer.collectivite_id == collectivite_id, Answer.question_id == question_id
                )
            )
        elif current is None:
            self.session.add(
                Answer(
                    collectivite_id=collectivite_id,
                    question_id=question_id,
                    referential_version=referential_version,
                    value=value,
                    answered_by=user_id,
                    answered_at=now,
                )
            )
        else:
            current.value = value
            current.referential_version = referential_version
            current.answered_by = user_id
            current.answered_at = now
        self.session.add(
            AnswerHistory(
                collectivite_id=collectivite_id,
                question_id=question_id,
                referential_version=referential_version,
                value=value,
                answered_by=user_id,
                answered_at=now,
            )
        )
        await self.session.execute(
            update(Collectivite)
            .where(Collectivite.id == collectivite_id)
            .values(last_activity_at=now)
        )
        await self.session.flush()
        return True

    async def record_score(
        self, collectivite_id: int, score: ScoreRecord, *, user_id: int, now: datetime
    ) -> None:
        """Update the denormalised score, the peer bins, and append a history point if it moved."""
        row = await self.session.get(Collectivite, collectivite_id)
        if row is None:
            return
        old_index, old_answered = row.current_index, row.answered_count
        if old_index == score.index and old_answered == score.answered:
            return
        await peers.move(
            self.session,
            row.kind,
            row.population,
            old_index if old_answered else None,
            score.index if score.answered else None,
        )
        row.current_index = score.index
        row.current_grade = score.grade
        row.answered_count = score.answered
        row.last_activity_at = now
        self.session.add(
            ScoreSnapshot(
                collectivite_id=collectivite_id,
                index=score.index,
                grade=score.grade,
                answered=score.answered,
                total=score.total,
                created_by=user_id,
                created_at=now,
            )
        )
        await self.session.flush()

    async def request_join(
        self, collectivite_id: int, user_id: int, now: datetime
    ) -> tuple[int, bool]:
        existing = await self.session.scalar(
            select(JoinRequest).where(
                JoinRequest.collectivite_id == collectivite_id,
                JoinRequest.user_id == user_id,
                JoinRequest.status == "pending",
            )
        )
        if existing is not None:
            return existing.id, False
        request = JoinRequest(
            collectivite_id=collectivite_id, user_id=user_id, status="pending", created_at=now
        )
        self.session.add(request)
        await self.session.flush()
        return request.id, True

    async def admin_ids(self, collectivite_id: int) -> list[int]:
        rows = await self.session.scalars(
            select(Membership.user_id)
            .where(Membership.collectivite_id == collectivite_id, Membership.role == "admin")
            .order_by(Membership.id)
        )
        return list(rows)

    async def set_locale(self, user_id: int, locale: str | None) -> None:
        await self.session.execute(update(User).where(User.id == user_id).values(locale=locale))

    async def user(self, user_id: int) -> UserInfo | None:
        row = await self.session.get(User, user_id)
        return user_info(row) if row else None

    async def enqueue(self, user_id: int, key: str, reply: Reply, now: datetime) -> bool:
        return await enqueue_message(self.session, user_id, key, reply, now)


async def enqueue_message(
    session: AsyncSession, user_id: int, key: str, reply: Reply, now: datetime
) -> bool:
    """Outbox insert, idempotent on `key` (a stable name of the notification)."""
    if await session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    user = await session.get(User, user_id)
    if user is None:
        return False
    session.add(
        OutboxMessage(
            key=key,
            user_id=user_id,
            channel=user.channel,
            chat_id=user.chat_id,
            payload=reply.to_json(),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    await session.flush()
    return True
