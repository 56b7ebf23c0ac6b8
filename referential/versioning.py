"""Carry answers given under one referential version over to another.

Question ids are stable and never reused (a reworded question keeps its id, a question whose meaning
changes gets a new one), so an answer can follow its id from one version to the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from referential.answers import is_valid_answer
from referential.models import Referential

# What version 2.0.0 (review of December 2026) did to the ids of version 1.0.0. No id was renamed
# or reused, so no stored answer has to move: `migrate_answers` keeps every answer whose id
# survives. Reworded or narrowed questions keep their id when a « oui » given to the old wording is
# still true of the new one (GOV-02 lost the inventory half that PAR-01 asks; PAR-02 lost the
# repair half, now PAR-05; ACH-03, USA-02 and EDI-04 ask one thing instead of two).
V2_RETIRED: dict[str, str] = {
    "RES-01": "replaced by RES-05: where services are hosted, instead of the host's energy figures",
    "USA-03": "merged into RES-03: clean-up of mailboxes and shared folders, with the archives visa",
}
# A split question's new part starts unanswered: an answer to the old question is not guessed.
V2_SPLITS: dict[str, tuple[str, ...]] = {"PAR-02": ("PAR-02", "PAR-05")}
V2_ADDED: tuple[str, ...] = ("ACH-05", "PAR-05", "PAR-06", "RES-05", "USA-05")


@dataclass(frozen=True)
class AnswerMigration:
    """The answers as they stand under the new version, and what changed on the way.

    `kept`: answers whose question still exists and accepts the value. `removed`: answered ids the
    new version no longer has. `added`: questions new in this version, hence unanswered.
    `invalid`: answered ids that still exist but whose value the new question no longer accepts
    (e.g. an option was removed); those answers are dropped.
    """

    kept: dict[str, str]
    removed: tuple[str, ...]
    added: tuple[str, ...]
    invalid: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """True when the user should be told something (an answer lost or a question to answer)."""
        return bool(self.removed or self.added or self.invalid)


def parse_version(version: str) -> tuple[int, ...]:
    """``"1.10.0"`` → ``(1, 10, 0)``, so versions compare numerically, not as text."""
    return tuple(int(part) for part in version.split("."))


def migrate_answers(
    old: Referential, new: Referential, answers: Mapping[str, str]
) -> AnswerMigration:
    """Map `answers`, given under `old`, onto `new`.

    An answer to an id that `old` does not have cannot have been given under `old` (a corrupted
    record): it is dropped, reported as removed if `new` lacks the id too, as invalid otherwise, so
    `added` questions always start unanswered. Ids are reported in their referential's order.
    """
    old_order = {q.id: position for position, q in enumerate(old.questions)}
    kept: dict[str, str] = {}
    removed: list[str] = []
    invalid: list[str] = []
    for qid, value in answers.items():
        if not new.has_question(qid):
            removed.append(qid)
        elif qid in old_order and is_valid_answer(new.question(qid), value):
            kept[qid] = value
        else:
            invalid.append(qid)
    new_order = {q.id: position for position, q in enumerate(new.questions)}
    removed.sort(key=lambda qid: (qid not in old_order, old_order.get(qid, 0), qid))  # unknown last
    invalid.sort(key=new_order.__getitem__)
    kept = {qid: kept[qid] for qid in sorted(kept, key=new_order.__getitem__)}
    added = tuple(q.id for q in new.questions if q.id not in old_order)
    return AnswerMigration(kept, tuple(removed), added, tuple(invalid))
