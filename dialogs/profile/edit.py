"""« Modifier » in /collectivite: an administrator changes the active collectivité's name, type,
département or population, one field at a time, with the registration's forgiving readers and
refusals (dialogs.questionnaire.registration). Nothing is stored until the value is valid; peer
statistics follow a new type or population (storage moves the collectivité to its new peer bin).
"""

from __future__ import annotations

from dialogs import access, ui
from dialogs.context import Ctx
from dialogs.events import Event
from dialogs.parsing import (
    KINDS,
    PopulationProblem,
    departement_of_siret,
    parse_departement,
    read_population,
)
from dialogs.profile.buttons import ProfileCancel, ProfileEdit, ProfileField, ProfileKind
from dialogs.profile.chat import show
from dialogs.questionnaire.registration import (
    departement_problem_text,
    name_problem_text,
    population_problem_text,
    read_kind,
    read_name,
)
from dialogs.records import MembershipInfo
from dialogs.replies import Button, Keyboard
from dialogs.router import Router
from dialogs.state import Flow, flow_of, set_flow

router = Router()

EDIT_FLOW = Flow.PROFILE_EDIT.value
FIELDS = frozenset(field.value for field in ProfileField)


def _cancel_row(ctx: Ctx) -> tuple[Button, ...]:
    return (ui.button(ctx._("Annuler"), ProfileCancel()),)


def _kind_rows(ctx: Ctx, cid: int) -> Keyboard:
    return (
        *((ui.button(ui.kind_label(ctx.tr, kind), ProfileKind(cid, kind)),) for kind in KINDS),
        _cancel_row(ctx),
    )


def _prompt(ctx: Ctx, member: MembershipInfo, field: ProfileField) -> tuple[str, Keyboard]:
    _ = ctx._
    c = member.collectivite
    if field is ProfileField.NAME:
        text = _("Quel est le nouveau nom ? (actuellement : {name})").format(name=c.name)
    elif field is ProfileField.DEPARTEMENT:
        text = _(
            "Dans quel département ? Tapez son numéro (par exemple 60, 2A ou 974). "
            "Actuellement : {code}."
        ).format(code=c.departement)
    elif field is ProfileField.POPULATION:
        text = _("Combien d’habitants ? (par exemple 12 000) Actuellement : {n}.").format(
            n=ctx.tr.number(c.population)
        )
    else:
        return _("Quel type de collectivité ?"), _kind_rows(ctx, c.id)
    return text, (_cancel_row(ctx),)


@router.button(ProfileEdit)
def edit(ctx: Ctx, event: Event, data: ProfileEdit) -> None:
    member = access.require_admin_of(ctx, data.collectivite_id)
    if member is None:
        return
    _ = ctx._
    cid = member.collectivite.id
    if data.field is None:

        def pick(label: str, field: ProfileField) -> Button:
            return ui.button(label, ProfileEdit(cid, field))

        ctx.say(
            ui.fmt(
                _("Que voulez-vous changer dans le profil de {name} ?"),
                name=member.collectivite.name,
            ),
            (
                (pick(_("✏️ Nom"), ProfileField.NAME), pick(_("✏️ Type"), ProfileField.KIND)),
                (
                    pick(_("✏️ Département"), ProfileField.DEPARTEMENT),
                    pick(_("✏️ Population"), ProfileField.POPULATION),
                ),
                _cancel_row(ctx),
            ),
            edit=True,
        )
        return
    set_flow(ctx.state, EDIT_FLOW, cid=cid, field=data.field.value)
    text, rows = _prompt(ctx, member, data.field)
    ctx.say(text, rows, edit=True)


@router.button(ProfileKind)
def kind_picked(ctx: Ctx, event: Event, data: ProfileKind) -> None:
    member = access.require_admin_of(ctx, data.collectivite_id)
    if member is not None:
        _save(ctx, member, kind=data.kind.value)


@router.button(ProfileCancel)
def cancelled(ctx: Ctx, event: Event, data: ProfileCancel) -> None:
    if flow_of(ctx.state) == EDIT_FLOW:
        set_flow(ctx.state, Flow.IDLE.value)
    ctx.say(ctx._("D’accord, le profil reste tel quel."), edit=True)


@router.flow(EDIT_FLOW)
def typed(ctx: Ctx, event: Event) -> None:
    """The new value of the field being edited; a bad one is refused with the reason and asked
    again (nothing stored), /annuler gives up."""
    cid, raw_field = ctx.state.get("cid"), ctx.state.get("field")
    if not isinstance(cid, int) or not isinstance(raw_field, str) or raw_field not in FIELDS:
        set_flow(ctx.state, Flow.IDLE.value)
        show(ctx)
        return
    member = access.require_admin_of(ctx, cid)
    if member is None:
        set_flow(ctx.state, Flow.IDLE.value)
        return
    field = ProfileField(raw_field)
    text = event.text.strip()
    rows = (_cancel_row(ctx),)
    if field is ProfileField.NAME:
        name = read_name(text)
        if name is None:
            ctx.say(name_problem_text(ctx), rows)
            return
        _save(ctx, member, name=name)
    elif field is ProfileField.KIND:
        kind = read_kind(ctx, text)
        if kind is None:
            ctx.say(ctx._("Choisissez le type avec un bouton."), _kind_rows(ctx, cid))
            return
        _save(ctx, member, kind=kind.value)
    elif field is ProfileField.DEPARTEMENT:
        code = parse_departement(text)
        if code is None:
            ctx.say(departement_problem_text(ctx), rows)
            return
        if not _departement_agrees(ctx, member, code):
            return
        _save(ctx, member, departement=code)
    else:
        found = read_population(text, ctx.locale)
        if isinstance(found, PopulationProblem):
            ctx.say(population_problem_text(ctx, found), rows)
            return
        _save(ctx, member, population=found)


def _departement_agrees(ctx: Ctx, member: MembershipInfo, code: str) -> bool:
    """As at registration: a commune's SIREN encodes its département; a different one is
    questioned once (typing it again keeps it)."""
    expected = departement_of_siret(member.collectivite.siret)
    if not expected or code in expected or ctx.state.get("dep_typed") == code:
        return True
    ctx.state["dep_typed"] = code
    ctx.say(
        ui.fmt(
            ctx._(
                "Le SIRET de la commune indique le département {expected}, et vous avez tapé {code}. "
                "Tapez à nouveau {code} pour le garder, ou le bon numéro."
            ),
            expected=" / ".join(sorted(expected)),
            code=code,
        ),
        (_cancel_row(ctx),),
    )
    return False


def _save(
    ctx: Ctx,
    member: MembershipInfo,
    *,
    name: str | None = None,
    kind: str | None = None,
    departement: str | None = None,
    population: int | None = None,
) -> None:
    cid = member.collectivite.id
    ctx.store.people.lock_collectivite(cid)
    changed = ctx.store.people.update_collectivite(
        cid, name=name, kind=kind, departement=departement, population=population
    )
    if flow_of(ctx.state) == EDIT_FLOW:
        set_flow(ctx.state, Flow.IDLE.value)
    if changed is None:
        access.refuse(ctx, ctx._("Cette collectivité n’existe plus."))
        return
    # Later reads of this event see the new profile (the header, the screen below).
    fresh = MembershipInfo(changed, member.role, member.function_label, member.memberships)
    if ctx.about is not None:
        ctx.about = fresh
    if (ctx.member() or member).collectivite.id == cid:
        ctx.know_member(fresh)
    ctx.toast(ctx._("Profil mis à jour."))
    show(ctx, note=ctx._("C’est enregistré."))
