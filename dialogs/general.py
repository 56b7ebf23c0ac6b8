"""Commands every user has: /start, /aide, /langue, /annuler, and the answers to unknown input."""

from __future__ import annotations

from dataclasses import replace

from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.i18n import N_, SUPPORTED
from dialogs.replies import Button
from dialogs.router import Router, button_args
from dialogs.state import Flow, flow_of, set_flow

router = Router()

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

# Command menu shown by channels (Telegram setMyCommands); descriptions are translated per language.
COMMAND_MENU: tuple[tuple[str, str], ...] = (
    ("questionnaire", N_("Répondre au questionnaire ou le reprendre")),
    ("score", N_("Voir l’indice de maturité et la lettre")),
    ("plan", N_("Voir le plan d’actions")),
    ("rappels", N_("Régler ou mettre en pause les rappels")),
    ("lien", N_("Recevoir le lien de la page web de synthèse")),
    ("equipe", N_("Gérer l’équipe et les invitations")),
    ("rattachement", N_("Demander l’accompagnement d’un OPSN")),
    ("collectivites", N_("Collectivités accompagnées (référents OPSN)")),
    ("aide", N_("Ce que je sais faire")),
    ("langue", N_("Changer de langue")),
    ("annuler", N_("Annuler l’opération en cours")),
)


def main_menu(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    _ = ctx._
    return (
        (Button(_("▶ Questionnaire"), "q:menu"),),
        (Button(_("Mon score"), "r:score"), Button(_("Mon plan"), "r:plan")),
    )


async def welcome(ctx: Ctx) -> None:
    """First contact or /start without payload."""
    _ = ctx._
    member = await ctx.member()
    if member is None and await ctx.store.opsn.referent_opsn(ctx.user.id):
        ctx.say(
            _(
                "Bonjour ! Vous êtes référent ou référente d’un OPSN. Tapez /collectivites pour voir "
                "les collectivités que vous suivez et les demandes en attente."
            ),
            ((Button(_("Inscrire aussi ma collectivité"), "ob:go"),),),
        )
        return
    if member is None:
        ctx.say(
            _(
                "Bonjour ! Je suis Éco-clic, l’assistant numérique responsable des collectivités.\n\n"
                "En une trentaine de questions simples (oui / non / je ne sais pas), je mesure la maturité "
                "de votre collectivité, je donne un indice et une lettre, et je propose les actions "
                "à mener en premier.\n\n"
                "Ce que je conserve : votre identifiant de messagerie, votre nom affiché, votre langue, "
                "et les informations de la collectivité (SIRET, nom, type, département, population) "
                "avec ses réponses. Rien d’autre."
            ),
            ((Button(_("Inscrire ma collectivité"), "ob:go"),),),
        )
        return
    name = member.collectivite.name
    ctx.say(
        _("Bonjour ! Vous faites partie de l’équipe de {name}. Que souhaitez-vous faire ?").format(
            name=name
        ),
        main_menu(ctx),
    )


@router.command("start")
async def start(ctx: Ctx, event: Event) -> None:
    await welcome(ctx)


@router.command("aide", "help")
async def help_command(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    ctx.say(
        _(
            "Voici ce que je sais faire :\n"
            "/questionnaire – répondre aux questions, ou reprendre là où vous en étiez\n"
            "/score – l’indice de maturité, la lettre et le détail par thème\n"
            "/plan – le plan d’actions : statut, responsable, échéance\n"
            "/rappels – mettre en pause ou reprendre vos rappels\n"
            "/lien – le lien de la page web de synthèse (valable 24 heures)\n"
            "/equipe – les membres de l’équipe, les invitations\n"
            "/rattachement – demander l’accompagnement de votre OPSN\n"
            "/collectivites – pour les référents d’un OPSN : les collectivités suivies\n"
            "/langue – changer de langue\n"
            "/annuler – abandonner l’opération en cours\n\n"
            "Pendant le questionnaire, répondez avec les boutons ou tapez oui, non ou je ne sais pas."
        )
    )


@router.command("langue", "language", "lang")
async def language(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ctx._("Choisissez votre langue :"),
        (tuple(Button(LANGUAGE_NAMES[code], f"l:{code}") for code in SUPPORTED),),
    )


@router.button("l")
async def set_language(ctx: Ctx, event: Event) -> None:
    args = button_args(event.data)
    code = args[0] if args else ""
    if code not in SUPPORTED:
        await stale_button(ctx, event)
        return
    await ctx.store.set_locale(ctx.user.id, code)
    ctx.user = replace(ctx.user, locale=code)
    ctx.say(ctx._("C’est noté : je vous parlerai en français."), edit=True)


@router.command("annuler", "cancel")
async def cancel(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    flow = flow_of(ctx.state)
    set_flow(ctx.state, Flow.IDLE.value)
    if flow == Flow.IDLE.value:
        ctx.say(_("Il n’y a rien à annuler."), main_menu(ctx) if await ctx.member() else ())
    elif flow == Flow.QUESTIONNAIRE.value:
        ctx.say(
            _(
                "Questionnaire mis en pause. Vos réponses sont enregistrées ; /questionnaire pour reprendre."
            )
        )
    else:
        ctx.say(_("C’est annulé. Rien n’a été enregistré pour cette opération."))


async def unknown_command(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ctx._(
            "Je ne connais pas la commande /{name}. Tapez /aide pour voir ce que je sais faire."
        ).format(name=event.command[:32])
    )


async def unknown_text(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    if await ctx.member() is None:
        ctx.say(
            _("Je n’ai pas compris. Pour commencer, inscrivez votre collectivité."),
            ((Button(_("Inscrire ma collectivité"), "ob:go"),),),
        )
        return
    ctx.say(_("Je n’ai pas compris. Que souhaitez-vous faire ?"), main_menu(ctx))


async def unsupported(ctx: Ctx, event: Event) -> None:
    ctx.say(
        ctx._("Je ne lis que le texte et les boutons. Tapez /aide pour voir ce que je sais faire.")
    )


async def stale_button(ctx: Ctx, event: Event) -> None:
    _ = ctx._
    ctx.toast(_("Ce bouton n’est plus valable."))
    ctx.say(
        _("Ce bouton n’est plus valable. Que souhaitez-vous faire ?"),
        main_menu(ctx) if await ctx.member() else (),
    )
