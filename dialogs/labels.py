"""Human labels for codes (priorities, answers, kinds of collectivité), marked for translation."""

from __future__ import annotations

from dialogs.i18n import N_, Translator

PRIORITY = {
    "prioritaire": N_("Prioritaire"),
    "necessaire": N_("Nécessaire"),
    "recommandee": N_("Recommandée"),
}

ANSWER = {
    "oui": N_("Oui"),
    "non": N_("Non"),
    "nsp": N_("Je ne sais pas"),
}

KIND = {
    "commune": N_("Commune"),
    "epci": N_("Intercommunalité (EPCI)"),
    "departement": N_("Département"),
    "region": N_("Région"),
    "syndicat_autre": N_("Syndicat ou autre"),
}


def priority(tr: Translator, code: str) -> str:
    return tr.gettext(PRIORITY.get(code, code))


def answer(tr: Translator, code: str) -> str:
    return tr.gettext(ANSWER.get(code, code))


def kind(tr: Translator, code: str) -> str:
    return tr.gettext(KIND.get(code, code))
