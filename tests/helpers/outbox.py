"""Read what the outbox holds for a person, and act on its buttons, in engine-level tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from dialogs.parsing import fold
from dialogs.replies import Reply
from storage.models import OutboxMessage, User


def inbox(sessions: Any, external_id: str) -> list[Reply]:
    """Every notification queued for that person, oldest first."""
    with sessions() as session:
        rows = session.scalars(
            select(OutboxMessage)
            .join(User, User.id == OutboxMessage.user_id)
            .where(User.external_id == external_id)
            .order_by(OutboxMessage.id)
        )
        return [Reply.from_json(row.payload) for row in rows]


def last_text(sessions: Any, external_id: str) -> str:
    messages = inbox(sessions, external_id)
    return messages[-1].text if messages else ""


def button(reply: Reply, label: str) -> str:
    """Data of the button whose label contains `label` (accent- and case-insensitive)."""
    wanted = fold(label)
    for row in reply.buttons:
        for b in row:
            if wanted in fold(b.label):
                return b.data
    raise AssertionError(f"no button {label!r} in {reply.buttons}")


def seed_notifications(
    sessions: Any, chat_ids: list[int], per_chat: int = 1, *, now: datetime | None = None
) -> list[str]:
    """Telegram users for `chat_ids` and `per_chat` queued notifications each, in bulk.

    Keys are "n:<chat>:<i>" and each text names its key, so a transcript shows duplicates at once.
    """
    now = now or datetime.now(UTC)
    keys: list[str] = []
    with sessions() as session, session.begin():
        session.execute(
            insert(User),
            [
                {
                    "channel": "telegram",
                    "external_id": str(chat),
                    "chat_id": str(chat),
                    "display_name": f"User {chat}",
                    "language_code": "fr",
                    "locale": None,
                    "reminders_paused": False,
                    "unreachable": False,
                    "created_at": now,
                }
                for chat in chat_ids
            ],
        )
        ids = dict(
            session.execute(
                select(User.external_id, User.id).where(User.channel == "telegram")
            ).all()
        )
        rows = []
        for i in range(per_chat):
            for chat in chat_ids:
                key = f"n:{chat}:{i}"
                keys.append(key)
                rows.append(
                    {
                        "key": key,
                        "user_id": ids[str(chat)],
                        "channel": "telegram",
                        "chat_id": str(chat),
                        "payload": Reply(f"notification {key}").to_json(),
                        "status": "pending",
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                )
        session.execute(insert(OutboxMessage), rows)
    return keys
