"""Progress towards the team's target, in one line: /score and the monthly summary show the same.

`progress_of` does the arithmetic once per collectivité (the monthly tick renders it for each
administrator, in their language, with `progress_line`); both are pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dialogs.i18n import Translator
from dialogs.records import TargetInfo
from dialogs.target.reach import path_to, target_index
from referential.models import Referential
from referential.scoring import maturity_index


@dataclass(frozen=True)
class TargetProgress:
    target: TargetInfo
    index: int  # the index today
    wanted: int  # the index the target asks for
    actions_left: int  # open actions on the shortest list (0 once reached)
    reachable: bool  # the open actions are enough (otherwise: unanswered questions remain)
    today: date

    @property
    def reached(self) -> bool:
        return self.index >= self.wanted


def progress_of(
    ref: Referential, target: TargetInfo, answers: Mapping[str, str], today: date
) -> TargetProgress:
    wanted = target_index(ref, target)
    index = maturity_index(ref, answers)
    if index >= wanted:
        return TargetProgress(target, index, wanted, 0, True, today)
    path = path_to(ref, answers, wanted)
    return TargetProgress(target, index, wanted, len(path.actions), path.reached, today)


def target_words(tr: Translator, target: TargetInfo) -> str:
    """« lettre B d’ici le 30 juin 2027 »."""
    _ = tr.gettext
    what = (
        _("lettre {grade}").format(grade=target.grade)
        if target.grade
        else _("indice {index}").format(index=target.index)
    )
    return _("{what} d’ici le {date}").format(what=what, date=tr.date(target.due_date, "long"))


def time_left(tr: Translator, today: date, due: date) -> str:
    """Days under two months, whole months beyond; a passed date says so."""
    days = (due - today).days
    if days < 0:
        return tr.gettext("échéance dépassée")
    if days < 61:
        return tr.ngettext("{n} jour restant", "{n} jours restants", days).format(n=days)
    months = (due.year - today.year) * 12 + due.month - today.month - (due.day < today.day)
    return tr.ngettext("{n} mois restant", "{n} mois restants", months).format(n=months)


def progress_line(tr: Translator, progress: TargetProgress) -> str:
    """« Cible : lettre B d’ici le 30 juin 2027 · indice 42/100 · encore 5 actions · 7 mois
    restants », or « … · atteinte »."""
    _ = tr.gettext
    parts = [
        _("Cible : {target}").format(target=target_words(tr, progress.target)),
        _("indice {index}/100").format(index=progress.index),
    ]
    if progress.reached:
        parts.append(_("atteinte"))
        return " · ".join(parts)
    if progress.reachable:
        parts.append(
            tr.ngettext("encore {n} action", "encore {n} actions", progress.actions_left).format(
                n=progress.actions_left
            )
        )
    else:
        parts.append(_("questions à compléter"))
    parts.append(time_left(tr, progress.today, progress.target.due_date))
    return " · ".join(parts)
