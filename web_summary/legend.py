"""The page's legend: which index gives which letter, and how the index is computed.

Both are read from the referential (its grade thresholds and priority weights), never written a
second time here, so a new version of the scale changes the legend with it. Letters are listed
E → A, from the lowest index to the highest, as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs import ui
from dialogs.i18n import Translator
from referential.models import Referential
from web_summary import charts


@dataclass(frozen=True)
class Legend:
    scale: str  # "… : E de 0 à 19, D de 20 à 39, …"
    index: str  # how the index is computed


def scale(ref: Referential) -> list[tuple[str, int, int]]:
    """(letter, lowest index, highest index) of each letter, E → A."""
    return charts.segments([(g.letter, g.min) for g in ref.grades])


def legend(tr: Translator, ref: Referential) -> Legend:
    _ = tr.gettext
    ranges = ", ".join(
        _("{letter} de {low} à {high}").format(letter=letter, low=low, high=high)
        for letter, low, high in scale(ref)
    )
    weights = sorted(ref.weights.items(), key=lambda item: -item[1])
    points = ", ".join(
        tr.ngettext(
            "{n} point si elle est {priority}", "{n} points si elle est {priority}", n
        ).format(n=n, priority=ui.priority_label(tr, priority.value).lower())
        for priority, n in weights
    )
    return Legend(
        scale=_("Lettres, de la moins à la plus avancée : {ranges}.").format(ranges=ranges),
        index=_(
            "L’indice va de 0 à 100. Chaque question du niveau 1 vaut {points}. Une réponse "
            "complète lui donne tous ses points, une réponse partielle une part, « non » et « je "
            "ne sais pas » aucun. L’indice est la part des points obtenus sur les points "
            "possibles ; une question à laquelle vous répondez « non concerné » est laissée de "
            "côté."
        ).format(points=points),
    )
