"""Document downloads of a collectivité page: the plan (CSV, ODS) and the roadmap (PDF).

The same files as the chat's /documents and `ecoclic export`: `dialogs.documents` gathers them
through the store and renders them. Each download checks its link like the page does, so a
stranger's, an altered or an expired link gets the same 403 and no file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from dialogs.documents.data import gather
from dialogs.documents.files import DocumentFormat, make
from dialogs.records import CollectiviteInfo
from storage.store import SqlStore
from web_summary import access
from web_summary.routes import DENIED_HTML, CollectiviteId, Signer, Token, _in_session, _ref, _tz

router = APIRouter()
Format = Literal["csv", "ods", "pdf"]
FILES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.oasis.opendocument.spreadsheet": {},
            "application/pdf": {},
        }
    },
    **DENIED_HTML,
}
SUMMARY = "Plan d’actions (CSV « ; » UTF-8 avec BOM, ODS) ou feuille de route (PDF A4)"


def _file(request: Request, session: Session, c: CollectiviteInfo, fmt: Format) -> Response:
    today = datetime.now(ZoneInfo(_tz(request))).date()
    file = make(gather(_ref(request), SqlStore(session), c, today), DocumentFormat(fmt))
    media_type = file.media_type + ("; charset=utf-8" if fmt == "csv" else "")
    return Response(
        file.content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/c/{token}/documents/{fmt}",
    response_class=Response,
    responses=FILES,
    tags=["export"],
    summary=SUMMARY,
)
async def collectivite_document(
    request: Request, token: Token, fmt: Format, signer: Signer
) -> Response:
    def download(session: Session) -> Response:
        row = access.open_collectivite(session, signer, token)
        return _file(request, session, row.collectivite, fmt)

    return await _in_session(request, download)


@router.get(
    "/o/{token}/c/{collectivite_id}/documents/{fmt}",
    response_class=Response,
    responses=FILES,
    tags=["export"],
    summary=SUMMARY + ", vus depuis le tableau de bord de l’OPSN",
)
async def followed_document(
    request: Request, token: Token, collectivite_id: CollectiviteId, fmt: Format, signer: Signer
) -> Response:
    def download(session: Session) -> Response:
        _opsn, row = access.open_followed(session, signer, token, collectivite_id)
        return _file(request, session, row.collectivite, fmt)

    return await _in_session(request, download)
