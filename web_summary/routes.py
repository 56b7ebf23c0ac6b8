"""Thin routes: check the link, build the page values, render HTML, JSON or CSV.

Storage is synchronous: each route gives its whole page — link check, reads, rendering — to one
worker thread, in one session (`_in_session`), so a page costs one thread hop and the event loop
(the bot shares it) never waits on the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from dialogs.records import CollectiviteStatus
from referential.models import Referential
from web_summary import access, supervision, views
from web_summary.export import csv_bytes
from web_summary.legend import legend
from web_summary.links import LinkSigner, link_signer
from web_summary.rendering import print_footer, render
from web_summary.schemas import (
    CollectiviteSummary,
    ErrorOut,
    OpsnSummary,
    PlanFilters,
    SortKey,
    SortOrder,
)

router = APIRouter()

Token = Annotated[str, Path(max_length=400, description="Lien signé reçu dans la conversation")]
CollectiviteId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DENIED: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "Lien invalide, modifié, expiré ou sans accès à cette page",
        "model": ErrorOut,
    }
}
DENIED_HTML: dict[int | str, dict[str, Any]] = {
    403: {
        "description": "Lien invalide, modifié, expiré ou sans accès à cette page (page en français)",
        "content": {"text/html": {}},
    }
}


T = TypeVar("T")


async def get_signer(request: Request) -> LinkSigner:
    """Built on first use: the key may have to be created in the database."""
    state = request.app.state
    if state.signer is None:
        async with state.signer_lock:
            if state.signer is None:
                state.signer = await run_in_threadpool(
                    link_signer, state.sessions, state.public_url, state.secret_key
                )
    signer: LinkSigner = state.signer
    return signer


Signer = Annotated[LinkSigner, Depends(get_signer)]


async def _in_session(request: Request, page: Callable[[Session], T]) -> T:
    """Run `page(session)` in a worker thread with a session of its own, closed afterwards."""
    sessions = request.app.state.sessions

    def run() -> T:
        with sessions() as session:
            return page(session)

    return await run_in_threadpool(run)


def _ref(request: Request) -> Referential:
    ref: Referential = request.app.state.referential
    return ref


def _tz(request: Request) -> str:
    tz: str = request.app.state.timezone
    return tz


def _print_css(request: Request, now: datetime) -> str:
    """The printed footer: generation date and the site's address (never the signed link)."""
    site: str = request.app.state.public_url
    return print_footer(site, now)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home() -> HTMLResponse:
    return render("home.html")


def _collectivite_page(
    request: Request,
    session: Session,
    row: CollectiviteStatus,
    filters: PlanFilters,
    base: str,
    dashboard: str | None = None,
) -> HTMLResponse:
    ref = _ref(request)
    summary = views.collectivite_summary(session, ref, row, filters, _tz(request))
    now = datetime.now(UTC)
    return render(
        "collectivite.html",
        print_css=_print_css(request, now),
        s=summary,
        ref=ref,
        thresholds=[(g.letter, g.min) for g in ref.grades],
        legend=legend(views.FR, ref),
        history_points=[(p.date, p.index) for p in summary.history],
        today=now,
        status_labels=views.STATUS_LABELS,
        priority_label=views.priority_label,
        base=base,
        dashboard=dashboard,
    )


@router.get(
    "/c/{token}",
    response_class=HTMLResponse,
    responses=DENIED_HTML,
    tags=["pages"],
    summary="Page de synthèse d’une collectivité",
)
async def collectivite_page(
    request: Request,
    token: Token,
    filters: Annotated[PlanFilters, Query()],
    signer: Signer,
) -> HTMLResponse:
    def page(session: Session) -> HTMLResponse:
        row = access.open_collectivite(session, signer, token)
        return _collectivite_page(request, session, row, filters, f"/c/{token}")

    return await _in_session(request, page)


@router.get(
    "/o/{token}/c/{collectivite_id}",
    response_class=HTMLResponse,
    responses=DENIED_HTML,
    tags=["pages"],
    summary="Page d’une collectivité suivie, vue depuis le tableau de bord de l’OPSN",
)
async def followed_page(
    request: Request,
    token: Token,
    collectivite_id: CollectiviteId,
    filters: Annotated[PlanFilters, Query()],
    signer: Signer,
) -> HTMLResponse:
    def page(session: Session) -> HTMLResponse:
        _opsn, row = access.open_followed(session, signer, token, collectivite_id)
        return _collectivite_page(
            request, session, row, filters, f"/o/{token}/c/{collectivite_id}", f"/o/{token}/"
        )

    return await _in_session(request, page)


@router.get(
    "/o/{token}/c/{collectivite_id}/fiche",
    response_class=HTMLResponse,
    responses=DENIED_HTML,
    tags=["pages"],
    summary="Fiche de suivi d’une collectivité (réponses par thème, plan, retards), pour l’OPSN",
)
async def supervision_page(
    request: Request, token: Token, collectivite_id: CollectiviteId, signer: Signer
) -> HTMLResponse:
    def page(session: Session) -> HTMLResponse:
        _opsn, row = access.open_followed(session, signer, token, collectivite_id)
        view = supervision.supervision(session, _ref(request), row, _tz(request))
        return render(
            "supervision.html",
            print_css=_print_css(request, datetime.now(UTC)),
            v=view,
            dashboard=f"/o/{token}/",
            page=f"/o/{token}/c/{collectivite_id}",
        )

    return await _in_session(request, page)


@router.get(
    "/o/{token}/",
    response_class=HTMLResponse,
    responses=DENIED_HTML,
    tags=["pages"],
    summary="Tableau de bord d’un OPSN",
)
async def opsn_page(
    request: Request,
    token: Token,
    signer: Signer,
    sort: SortKey = "name",
    order: SortOrder = "asc",
) -> HTMLResponse:
    def page(session: Session) -> HTMLResponse:
        opsn = access.open_opsn(session, signer, token)
        summary = views.opsn_summary(session, _ref(request), opsn, sort, order)
        return render(
            "opsn.html",
            print_css=_print_css(request, datetime.now(UTC)),
            s=summary,
            legend=legend(views.FR, _ref(request)),
            kind_label=views.kind_label,
            distribution=[
                (d.grade, d.count) for d in summary.distribution if d.grade != views.NOT_STARTED
            ],
        )

    return await _in_session(request, page)


@router.get(
    "/o/{token}/export.csv",
    responses={200: {"content": {"text/csv": {}}}, **DENIED},
    response_class=Response,
    tags=["export"],
    summary="Export CSV des collectivités suivies (séparateur « ; », UTF-8 avec BOM)",
)
async def opsn_csv(
    request: Request,
    token: Token,
    signer: Signer,
    sort: SortKey = "name",
    order: SortOrder = "asc",
) -> Response:
    def export(session: Session) -> Response:
        opsn = access.open_opsn(session, signer, token)
        summary = views.opsn_summary(session, _ref(request), opsn, sort, order)
        day = datetime.now(UTC).date().isoformat()
        return Response(
            csv_bytes(summary, _tz(request)),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="ecoclic-{opsn.slug}-{day}.csv"'
            },
        )

    return await _in_session(request, export)


@router.get(
    "/api/c/{token}",
    response_model=CollectiviteSummary,
    responses=DENIED,
    tags=["api"],
    summary="Synthèse d’une collectivité",
)
async def collectivite_json(
    request: Request,
    token: Token,
    filters: Annotated[PlanFilters, Query()],
    signer: Signer,
) -> CollectiviteSummary:
    def summary(session: Session) -> CollectiviteSummary:
        row = access.open_collectivite(session, signer, token)
        return views.collectivite_summary(session, _ref(request), row, filters, _tz(request))

    return await _in_session(request, summary)


@router.get(
    "/api/o/{token}/c/{collectivite_id}",
    response_model=CollectiviteSummary,
    responses=DENIED,
    tags=["api"],
    summary="Synthèse d’une collectivité suivie par l’OPSN",
)
async def followed_json(
    request: Request,
    token: Token,
    collectivite_id: CollectiviteId,
    filters: Annotated[PlanFilters, Query()],
    signer: Signer,
) -> CollectiviteSummary:
    def summary(session: Session) -> CollectiviteSummary:
        _opsn, row = access.open_followed(session, signer, token, collectivite_id)
        return views.collectivite_summary(session, _ref(request), row, filters, _tz(request))

    return await _in_session(request, summary)


@router.get(
    "/api/o/{token}",
    response_model=OpsnSummary,
    responses=DENIED,
    tags=["api"],
    summary="Tableau de bord d’un OPSN",
)
async def opsn_json(
    request: Request,
    token: Token,
    signer: Signer,
    sort: SortKey = "name",
    order: SortOrder = "asc",
) -> OpsnSummary:
    def summary(session: Session) -> OpsnSummary:
        opsn = access.open_opsn(session, signer, token)
        return views.opsn_summary(session, _ref(request), opsn, sort, order)

    return await _in_session(request, summary)
