"""What every user has: the welcome, /aide, /langue, /annuler, /lien, and the answers to unknown input.

/lien gives a personal, signed link (valid 24 hours) to the web summary page: a team member gets the
page of their collectivité, an OPSN referent the dashboard of each OPSN they serve, someone who is
both gets both. The engine only asks `config.link_signer` for a URL: the key and the signature live
in web_summary.links.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import access, ui
from dialogs.callbacks import CallbackData
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import N_, SUPPORTED
from dialogs.parsing import Intent, parse_intent
from dialogs.plan.buttons import PlanPage
from dialogs.privacy.texts import short_notice
from dialogs.questionnaire.buttons import QuestionnaireMenu, ScoreButton, StartOnboarding
from dialogs.questionnaire.questions import greet_mid_question
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow
from dialogs.ui import button

router = Router()


class LanguageButton(CallbackData, prefix="l"):
    """ "l:<language code>" (one of i18n.SUPPORTED)."""

    code: str


LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

# Command menu shown by channels (Telegram setMyCommands); descriptions are translated per language.
COMMAND_MENU: tuple[tuple[str, str], ...] = (
    ("questionnaire", N_("Répondre au questionnaire ou le reprendre")),
    ("score", N_("Voir l’indice de maturité et la lettre")),
    ("plan", N_("Voir le plan d’actions")),
    ("cible", N_("Fixer une cible : une lettre à atteindre d’ici une date")),
    ("documents", N_("Recevoir la feuille de route et le plan en fichiers")),
    ("rappels", N_("Régler ou mettre en pause les rappels")),
    ("lien", N_("Recevoir le lien de la page web de synthèse")),
    ("equipe", N_("Gérer l’équipe et les invitations")),
    ("collectivite", N_("Votre collectivité : profil, changer de collectivité")),
    ("rattachement", N_("Demander l’accompagnement d’un OPSN")),
    ("aide", N_("Ce que je sais faire")),
    ("langue", N_("Changer de langue")),
    ("annuler", N_("Annuler l’opération en cours")),
)

# Added to the menu of referents and platform administrators only (Telegram: a per-chat scope).
STAFF_MENU: tuple[tuple[str, str], ...] = (
    ("collectivites", N_("Collectivités accompagnées (référents OPSN)")),
    ("admin", N_("Administrer la plateforme : OPSN et référents")),
)


def main_menu(ctx: Ctx) -> Keyboard:
    _ = ctx._
    return (
        (button(_("▶ Questionnaire"), QuestionnaireMenu()),),
        (button(_("Mon score"), ScoreButton()), button(_("Mon plan"), PlanPage())),
    )


def _next_steps(ctx: Ctx) -> Keyboard:
    """The way on from a screen that has nothing else to offer: the menu, or registering."""
    return main_menu(ctx) if ctx.member() else access.register_row(ctx)


def welcome(ctx: Ctx) -> None:
    """First contact or /start without payload."""
    _ = ctx._
    member = ctx.member()
    if member is None and ctx.store.opsn.referent_opsn(ctx.user.id):
        ctx.say(
            _(
                "Bonjour ! Vous êtes référent ou référente d’un OPSN. Tapez /collectivites pour voir "
                "les collectivités que vous suivez et les demandes en attente."
            )
            + privacy_paragraph(ctx),
            ((button(_("Inscrire ma collectivité"), StartOnboarding()),),),
        )
        return
    if member is None:
        ctx.say(
            _(
                "Bonjour ! Je suis Éco-clic, l’assistant numérique responsable des collectivités.\n\n"
                "En une trentaine de questions simples (oui / non / je ne sais pas), je mesure la maturité "
                "de votre collectivité, je donne un indice et une lettre, et je propose les actions "
                "à mener en premier."
            )
            + privacy_paragraph(ctx),
            access.register_row(ctx),
        )
        return
    if greet_mid_question(ctx):
        return
    name = member.collectivite.name
    ctx.say(
        ui.fmt(
            _("Bonjour ! Vous faites partie de l’équipe de {name}. Que souhaitez-vous faire ?"),
            name=name,
        ),
        main_menu(ctx),
    )


HELP_LINES: tuple[tuple[str, str], ...] = (
    ("questionnaire", N_("répondre aux questions, ou reprendre là où vous en étiez")),
    ("score", N_("l’indice de maturité, la lettre et le détail par thème")),
    ("plan", N_("le plan d’actions : statut, responsable, échéance")),
    ("rappels", N_("mettre en pause ou reprendre vos rappels")),
    ("lien", N_("le lien de la page web de synthèse (valable 24 heures)")),
    ("equipe", N_("les membres de l’équipe, les invitations")),
    ("collectivite", N_("le profil de votre collectivité, ou passer à une autre")),
    ("rattachement", N_("demander l’accompagnement de votre OPSN")),
    ("cible", N_("fixer une cible et voir les actions qui l’atteignent")),
    ("documents", N_("la feuille de route (PDF) et le plan (tableur, CSV) en fichiers")),
    ("niveau2", N_("le questionnaire approfondi, une fois rattaché à votre OPSN")),
    ("indicateurs", N_("les indicateurs calculés à partir de vos réponses de niveau 2")),
)


@router.command("aide", "help")
def help_command(ctx: Ctx, event: Event) -> None:
    """Every command this person may use, and only those (referent and platform ones by role)."""
    _ = ctx._
    lines = [_("Voici ce que je sais faire :")]
    if ctx.member() is not None:
        lines += [f"/{name} – {_(text)}" for name, text in HELP_LINES]
    else:
        lines.append("/start – " + _("inscrire votre collectivité, ou rejoindre son équipe"))
    if access.referent_of(ctx):
        lines.append("/collectivites – " + _("les collectivités que votre OPSN accompagne"))
    if access.is_platform_admin(ctx):
        lines.append("/admin – " + _("administrer la plateforme : OPSN et référents"))
    lines.append("/langue – " + _("changer de langue"))
    lines.append("/annuler – " + _("abandonner l’opération en cours"))
    lines.append("")
    lines.append(
        _(
            "Pendant le questionnaire, répondez avec les boutons ou tapez oui, non ou je ne sais pas."
        )
        + privacy_help(ctx)
    )
    ctx.say("\n".join(lines), main_menu(ctx) if ctx.member() else access.register_row(ctx))


def privacy_paragraph(ctx: Ctx) -> str:
    """The short privacy notice, closing a welcome (dialogs.privacy.texts)."""
    return "\n\n" + short_notice(ctx.tr, ctx.config.retention_months)


def privacy_help(ctx: Ctx) -> str:
    """The data commands, closing /aide."""
    return "\n\n" + ctx._(
        "Vos données :\n"
        "/confidentialite – ce que je garde, pourquoi et combien de temps\n"
        "/mesdonnees – recevoir tout ce que je garde sur vous (fichier JSON)\n"
        "/supprimer – effacer vos données (ou, pour un administrateur, la collectivité)"
    )


@router.command("langue", "language", "lang")
def language(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ctx._("Choisissez votre langue :"),
        (tuple(button(LANGUAGE_NAMES[code], LanguageButton(code)) for code in SUPPORTED),),
    )


@router.button(LanguageButton)
def set_language(ctx: Ctx, event: Event, data: LanguageButton) -> None:
    if data.code not in SUPPORTED:
        stale_button(ctx, event)
        return
    ctx.store.people.set_locale(ctx.user.id, data.code)
    ctx.user = replace(ctx.user, locale=data.code)
    ctx.say(ctx._("C’est noté : je vous parlerai en français."), edit=True)


@router.command("annuler", "cancel")
def cancel(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    flow = flow_of(ctx.state)
    set_flow(ctx.state, Flow.IDLE.value)
    if flow == Flow.IDLE.value:
        ctx.say(_("Il n’y a rien à annuler."), _next_steps(ctx))
    elif flow == Flow.QUESTIONNAIRE.value:
        ctx.say(
            _(
                "Questionnaire mis en pause. Vos réponses sont enregistrées ; /questionnaire pour reprendre."
            )
        )
    else:
        ctx.say(_("C’est annulé. Rien n’a été enregistré pour cette opération."), _next_steps(ctx))


def _url_row(label: str, url: str) -> tuple[Button, ...]:
    # Telegram refuses URL buttons to local addresses: plain http links stay in the text only.
    return (Button(label, url=url),) if url.startswith("https://") else ()


@router.command("lien", "link", "page")
def link_command(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    sign = ctx.config.link_signer
    if sign is None:
        ctx.say(
            _("La page web de synthèse n’est pas disponible sur cette installation."),
            _next_steps(ctx),
        )
        return
    member = ctx.member()
    opsns = ctx.store.opsn.referent_opsn(ctx.user.id)
    if member is None and not opsns:
        access.require_member(ctx)  # says how to register
        return
    parts: list[str] = []
    rows: list[tuple[Button, ...]] = []
    if member is not None:
        name = member.collectivite.name
        url = sign("c", member.collectivite.id, member.role, ctx.user.id)
        parts.append(ui.fmt(_("Page de synthèse de {name} :"), name=name) + "\n" + url)
        rows.append(_url_row(ui.fmt(_("Ouvrir la page de {name}"), name=name)[:60], url))
    for opsn in opsns:
        url = sign("o", opsn.id, "referent", ctx.user.id)
        parts.append(ui.fmt(_("Tableau de bord de {name} :"), name=opsn.name) + "\n" + url)
        rows.append(_url_row(ui.fmt(_("Tableau de bord de {name}"), name=opsn.name)[:60], url))
    parts.append(
        _(
            "Ce lien est personnel et valable 24 heures : ne le transférez pas, il ouvre la page "
            "sans mot de passe. Tapez /lien pour en recevoir un nouveau."
        )
    )
    if ctx.config.page_served_apart:
        parts.append(
            _(
                "Cette page est servie par « ecoclic serve » : lancez-le dans un autre terminal "
                "pour l’ouvrir."
            )
        )
    ctx.say("\n\n".join(parts), tuple(row for row in rows if row))


def unknown_command(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ui.fmt(
            ctx._(
                "Je ne connais pas la commande /{name}. Tapez /aide pour voir ce que je sais faire."
            ),
            name=event.command[:32],
        )
    )


def unknown_text(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if parse_intent(event.text) is Intent.HELLO:
        welcome(ctx)  # « bonjour » : what a person means is « where am I, what can I do »
        return
    if ctx.member() is None:
        ctx.say(
            _("Je n’ai pas compris. Pour commencer, inscrivez votre collectivité."),
            access.register_row(ctx),
        )
        return
    ctx.say(_("Je n’ai pas compris. Que souhaitez-vous faire ?"), main_menu(ctx))


def unsupported(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ctx._("Je ne lis que le texte et les boutons. Tapez /aide pour voir ce que je sais faire.")
    )


def stale_button(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    ctx.toast(_("Ce bouton n’est plus valable."))
    ctx.say(
        _("Ce bouton n’est plus valable. Que souhaitez-vous faire ?"),
        main_menu(ctx) if ctx.member() else (),
    )
