"""A reply's file → an uploaded `m.file` content, ready to send after its caption.

The bytes are uploaded first (nothing shows in the room yet), encrypted with nio in encrypted rooms:
the content then carries `file` (key, iv, hashes and the `mxc` url) instead of `url`. The
homeserver's size limit (`m.upload.size`) is read once; a file over it, or an upload refused, is
told in one short French notice rather than in silence. Uploads take a pacing slot like messages.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import ClientError
from nio import AsyncClient, ContentRepositoryConfigResponse, UploadResponse

from bot.matrix.pacing import RoomPacing
from dialogs.replies import Attachment

log = logging.getLogger(__name__)

FILE = "m.file"
DEFAULT_LIMIT = 50 * 1024 * 1024  # bytes, when the homeserver does not say (Synapse's default)
FAILED = "Le fichier {name} n’a pas pu être envoyé. Réessayez dans quelques minutes."
TOO_LARGE = (
    "Le fichier {name} ({size}) dépasse la taille acceptée par votre serveur Matrix ({limit}) : "
    "il n’a pas été envoyé."
)
TOO_LARGE_NOW = (
    "Le fichier {name} ({size}) est trop lourd pour votre serveur Matrix : il n’a pas été envoyé."
)


class FileNotSent(Exception):
    """The file cannot be sent now: `notice` says so to the person; `transient` if a retry may do."""

    def __init__(self, notice: str, *, transient: bool) -> None:
        super().__init__(notice)
        self.notice = notice
        self.transient = transient


def size_text(size: int) -> str:
    """A size as French people read it: « 820 ko », « 12,5 Mo »."""
    if size < 1_000_000:
        return f"{-(-size // 1000)} ko"
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


def file_content(attachment: Attachment, mxc: str, keys: dict[str, Any] | None) -> dict[str, Any]:
    """The `m.file` event content: `url` in clear rooms, `file` (with the url) when encrypted."""
    content: dict[str, Any] = {
        "msgtype": FILE,
        "body": attachment.filename,
        "filename": attachment.filename,
        "info": {"mimetype": attachment.media_type, "size": len(attachment.content)},
    }
    if keys is None:
        content["url"] = mxc
    else:
        content["file"] = {**keys, "url": mxc, "mimetype": attachment.media_type}
    return content


class Uploads:
    def __init__(self, client: AsyncClient, pacing: RoomPacing) -> None:
        self.client = client
        self.pacing = pacing
        self.limit: int | None = None  # bytes; read from the homeserver on first use

    async def upload_limit(self) -> int:
        """`m.upload.size`, kept once the homeserver answered (the default while it cannot)."""
        if self.limit is None:
            try:
                found = await self.client.content_repository_config()
            except (ClientError, TimeoutError):
                return DEFAULT_LIMIT  # asked again next time
            size = found.upload_size if isinstance(found, ContentRepositoryConfigResponse) else None
            self.limit = size if isinstance(size, int) and size > 0 else DEFAULT_LIMIT
        return self.limit

    async def prepare(
        self, room_id: str, attachment: Attachment, *, retries: int = 0
    ) -> dict[str, Any]:
        """Upload `attachment` for `room_id` (waiting out up to `retries` 429s); its `m.file`
        content, or `FileNotSent`."""
        name, size = attachment.filename, len(attachment.content)
        limit = await self.upload_limit()
        if size > limit:
            notice = TOO_LARGE.format(name=name, size=size_text(size), limit=size_text(limit))
            raise FileNotSent(notice, transient=False)
        room = self.client.rooms.get(room_id)
        encrypt = room is None or bool(room.encrypted)  # unknown room: never in clear
        for attempt in range(retries + 1):
            response, keys = await self._upload(room_id, attachment, encrypt)
            if isinstance(response, UploadResponse):
                return file_content(
                    attachment, str(response.content_uri), keys if encrypt else None
                )
            log.warning("matrix: upload of %s for %s refused: %s", name, room_id, response)
            code = str(getattr(response, "status_code", "") or "")
            if code in {"M_LIMIT_EXCEEDED", "429"} and attempt < retries:
                await asyncio.sleep((getattr(response, "retry_after_ms", 0) or 5000) / 1000)
                continue
            if code == "M_TOO_LARGE":  # a limit lower than announced
                notice = TOO_LARGE_NOW.format(name=name, size=size_text(size))
                raise FileNotSent(notice, transient=False)
            transient = code in {"M_LIMIT_EXCEEDED", "429"} or not code.startswith("M_")
            raise FileNotSent(FAILED.format(name=name), transient=transient)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _upload(
        self, room_id: str, attachment: Attachment, encrypt: bool
    ) -> tuple[object, dict[str, Any] | None]:
        data = attachment.content
        try:
            async with self.pacing.slot(room_id):
                response, keys = await self.client.upload(
                    lambda _got_429, _timeouts: data,
                    content_type=attachment.media_type,
                    filename=attachment.filename,
                    encrypt=encrypt,
                    filesize=len(data),
                )
        except (ClientError, TimeoutError) as exc:
            log.warning("matrix: upload of %s for %s failed: %s", attachment.filename, room_id, exc)
            raise FileNotSent(FAILED.format(name=attachment.filename), transient=True) from exc
        return response, keys
