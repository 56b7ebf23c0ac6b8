"""The JSON API's shapes (documented in the OpenAPI schema); the HTML pages render the same values."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Priority = Literal["prioritaire", "necessaire", "recommandee"]
Status = Literal["a_faire", "planifie", "en_cours", "realise", "non_retenu"]
SortKey = Literal["name", "index", "grade", "progress", "activity"]
SortOrder = Literal["asc", "desc"]
AreaScope = Literal["departement", "region", "national", "opsn"]


class ProgressOut(BaseModel):
    answered: int
    total: int
    percent: int = Field(ge=0, le=100)


class LastChangeOut(BaseModel):
    at: datetime
    author: str = Field(description="Nom affiché de la personne, vide si inconnu")


class ThemeOut(BaseModel):
    id: str
    title: str
    index: int = Field(ge=0, le=100)
    answered: int
    total: int


class HistoryPointOut(BaseModel):
    date: date
    index: int = Field(ge=0, le=100)
    grade: str
    answered: int
    total: int


class PeersOut(BaseModel):
    """Collectivités of the same kind and population band (shown when at least five others answered);
    `count` includes this collectivité once it has answered."""

    band: str
    count: int
    q1: int
    median: int
    q3: int
    below: int = Field(description="Collectivités comparables dont l’indice est plus bas")
    above: int = Field(description="Collectivités comparables dont l’indice est plus haut")


class AreaAverageOut(BaseModel):
    """The average index of a group of collectivités that answered (shown when at least five others
    than this one are in it); no collectivité of the group is ever named."""

    scope: AreaScope
    label: str = Field(
        description="Code du département, nom de la région ou de l’OPSN, vide pour la France"
    )
    average: float = Field(ge=0, le=100, description="Indice moyen, à un dixième près")
    index: int = Field(ge=0, le=100, description="Indice moyen arrondi, comme dans /score")
    count: int = Field(
        description="Collectivités du groupe qui ont répondu, celle-ci comprise si elle a répondu"
    )


class TargetOut(BaseModel):
    grade: str | None = Field(description="Lettre visée, ou null quand la cible est un indice")
    index: int = Field(ge=0, le=100, description="Indice à atteindre")
    due_date: date
    reached: bool
    actions: list[int] = Field(
        description="Numéros des actions ouvertes qui suffisent à l’atteindre"
    )


class ActionOut(BaseModel):
    number: int | str = Field(
        description="Numéro stable de l’action : sa place dans le référentiel, ou « E12 » pour "
        "une action ajoutée par l’équipe"
    )
    question_id: str | None = Field(description="Aucune pour une action de l’équipe")
    title: str
    theme_id: str
    theme: str
    priority: Priority
    status: Status
    due_date: date | None
    assignee: str
    origin: str = Field(
        default="", description="« Action de l’équipe », « Proposée par … » ; vide sinon"
    )


class MissingOut(BaseModel):
    question_id: str
    text: str


class IndicatorOut(BaseModel):
    """One indicator of a collectivité: its value, or « non calculable » and what is missing."""

    id: str
    title: str
    unit: str
    value: float | None = Field(
        description="Valeur exacte arrondie en flottant ; null si non calculable"
    )
    display: str | None = Field(description="Valeur arrondie, à la française, avec l’unité")
    threshold: str | None = Field(description="Seuil de référence, à la française, avec l’unité")
    threshold_source: str | None
    higher_is_better: bool
    met: bool | None = Field(description="Seuil atteint ; null sans valeur ou sans seuil")
    missing: list[MissingOut] = Field(description="Réponses à donner pour le calculer")
    reason: str | None = Field(
        description="Pourquoi il n’est pas calculable, sans réponse manquante"
    )


class IndicatorStatOut(BaseModel):
    """An indicator over the collectivités an OPSN follows: quartiles only over five values or more."""

    id: str
    title: str
    unit: str
    count: int = Field(description="Collectivités suivies dont l’indicateur est calculable")
    q1: str | None
    median: str | None
    q3: str | None


class PlanFilters(BaseModel):
    theme: str = ""
    priority: Priority | Literal[""] = ""
    status: Status | Literal[""] = ""


class CollectiviteSummary(BaseModel):
    siret: str
    name: str
    kind: str
    kind_label: str
    departement: str
    population: int
    index: int = Field(ge=0, le=100)
    grade: str
    progress: ProgressOut
    last_change: LastChangeOut | None
    themes: list[ThemeOut]
    history: list[HistoryPointOut]
    peers: PeersOut | None
    target: TargetOut | None = None
    actions: list[ActionOut] = Field(description="Plan d’actions, filtré")
    actions_total: int = Field(description="Nombre d’actions avant filtrage")
    filters: PlanFilters
    indicators: list[IndicatorOut] = Field(default_factory=list)
    averages: list[AreaAverageOut] = Field(
        default_factory=list,
        description="Moyennes du département, de la région, de la France et de l’OPSN (groupes assez grands seulement)",
    )


class FollowedOut(BaseModel):
    id: int
    siret: str
    name: str
    kind: str
    departement: str
    population: int
    index: int
    grade: str
    answered: int
    total: int
    progress_percent: int
    last_activity: datetime
    indicators: list[float | None] = Field(
        default_factory=list, description="Valeurs des indicateurs, dans l’ordre de indicator_stats"
    )


class PendingOut(BaseModel):
    siret: str
    name: str
    kind: str
    departement: str
    population: int
    requested_at: datetime


class GradeCountOut(BaseModel):
    grade: str = Field(description="Lettre, ou « – » pour les collectivités qui n’ont pas commencé")
    count: int


class OpsnSummary(BaseModel):
    slug: str
    name: str
    collectivites: list[FollowedOut]
    pending: list[PendingOut]
    distribution: list[GradeCountOut]
    median_index: int | None
    sort: SortKey
    order: SortOrder
    indicator_stats: list[IndicatorStatOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    detail: str
