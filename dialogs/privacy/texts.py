"""What the assistant says about personal data: the notice (/confidentialite, the welcome, invitees,
referents), its one-paragraph form, and the retention warning queued by the maintenance task.

Only the i18n core is imported, so the welcome and the maintenance task can use these texts without
loading the feature.
"""

from __future__ import annotations

from dialogs.i18n import N_, Translator
from dialogs.replies import Reply

# How erased people are named in the collectivité's records (storage.privacy.FORMER_MEMBER).
FORMER_MEMBER = N_("un ancien membre")
NOTICE_MONTHS_BEFORE = 1  # the warning comes this many months before the erasure


def notice(tr: Translator, months: int) -> str:
    """The full privacy notice: what is kept, why, for how long, how to get it or erase it."""
    return tr.gettext(
        "Vos données personnelles\n\n"
        "Ce que je conserve sur vous : votre identifiant de messagerie, votre nom affiché, votre "
        "langue, l’état de notre conversation, vos réglages de rappels, votre rôle et votre "
        "fonction dans l’équipe, et les messages en attente pour vous. La collectivité garde ses "
        "réponses, son plan d’actions et leur historique, avec le nom de la personne qui les a "
        "saisis.\n\n"
        "Pourquoi : pour vous répondre, faire travailler l’équipe ensemble et vous envoyer les "
        "rappels que vous avez choisis. Rien n’est vendu ni utilisé à d’autres fins.\n\n"
        "Combien de temps : tant que vous utilisez l’assistant. Après {months} mois sans aucun "
        "message de votre part, je vous préviens ; un mois plus tard, vos données sont effacées. "
        "Les notifications envoyées sont oubliées au bout d’un mois.\n\n"
        "Vos droits : /mesdonnees vous envoie tout ce que je garde sur vous (un fichier JSON) ; "
        "/supprimer efface vos données. Une fois effacées, vos réponses restent à la collectivité "
        "sous le nom « un ancien membre »."
    ).format(months=months)


def short_notice(tr: Translator, months: int) -> str:
    """One paragraph for the welcome, invitees and referents."""
    return tr.gettext(
        "Vos données : je garde votre identifiant de messagerie, votre nom affiché, votre langue et "
        "ce que vous faites ici, pour vous répondre et faire travailler l’équipe ensemble ; elles "
        "sont effacées après {months} mois sans message de votre part. /confidentialite pour le "
        "détail, /mesdonnees pour les recevoir, /supprimer pour les effacer."
    ).format(months=months)


def retention_warning(tr: Translator, erase_on: str) -> Reply:
    """Queued for a person inactive for a while, a month before their data is erased."""
    return Reply(
        tr.gettext(
            "Vous n’avez pas écrit à Éco-clic depuis longtemps. Sans nouvelle de votre part, vos "
            "données personnelles (nom, identifiant, réglages) seront effacées le {date} ; les "
            "réponses de votre collectivité resteront, sous le nom « un ancien membre ».\n\n"
            "Pour garder votre compte, envoyez-moi simplement un message, par exemple /aide. "
            "Pour recevoir vos données avant : /mesdonnees."
        ).format(date=erase_on)
    )


def member_erased(tr: Translator, name: str) -> Reply:
    """For the other administrators of a team, when one of its people erased their data."""
    return Reply(
        tr.gettext(
            "Une personne a quitté l’équipe de {name} et effacé ses données. Ses réponses "
            "restent, sous le nom « un ancien membre » ; les actions qui lui étaient "
            "confiées sont à nouveau « à désigner »."
        ).format(name=name)
    )


def collectivite_deleted(tr: Translator, name: str) -> Reply:
    """For the members and the OPSN referents of a deleted collectivité."""
    return Reply(
        tr.gettext(
            "{name} a été supprimée d’Éco-clic par l’un de ses administrateurs : ses réponses, "
            "son historique et son plan d’actions n’existent plus."
        ).format(name=name)
    )


def made_admin(tr: Translator, name: str) -> Reply:
    """For the member who becomes administrator when the last one is erased (retention, CLI)."""
    return Reply(
        tr.gettext(
            "Le seul administrateur ou la seule administratrice de {name} a été effacé·e d’Éco-clic : "
            "vous êtes maintenant administrateur ou administratrice de l’équipe (/equipe)."
        ).format(name=name)
    )
