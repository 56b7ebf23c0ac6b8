"""`ecoclic admin gdpr …`: data-rights requests received by other means (mail, letter), and the
erasure the retention sweep performs (`ecoclic.maintenance`).

    ecoclic admin gdpr export --user telegram:123456789 [--output FILE]
    ecoclic admin gdpr export --siret 21310555400017 [--output FILE]
    ecoclic admin gdpr erase --user telegram:123456789 --yes
    ecoclic admin gdpr erase --siret 21310555400017 --yes

Erasing the last administrator of a team that has other members first makes the member who joined
first administrator (and tells them); the chat's /supprimer asks the person to choose instead.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from dialogs.i18n import Translator, locale_of, translator
from dialogs.privacy.buttons import ExportScope
from dialogs.privacy.export import document
from dialogs.privacy.texts import collectivite_deleted, made_admin, member_erased
from dialogs.records import CollectiviteInfo
from dialogs.replies import Reply
from ecoclic.settings import Settings

if TYPE_CHECKING:  # the storage stack is imported when a command runs, not to build the CLI
    from storage.store import SqlStore


def add_parsers(admin_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gdpr = admin_sub.add_parser("gdpr", help="droits des personnes (RGPD) : accès, effacement")
    gdpr_sub = gdpr.add_subparsers(dest="gdpr_command", required=True)
    export = gdpr_sub.add_parser("export", help="tout ce qui est gardé, en JSON")
    erase = gdpr_sub.add_parser("erase", help="effacer une personne ou supprimer une collectivité")
    for sub in (export, erase):
        who = sub.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="CANAL:IDENTIFIANT (ex. telegram:123456789)")
        who.add_argument("--siret", help="SIRET de la collectivité (14 chiffres)")
    export.add_argument("--output", type=Path, help="fichier à écrire (par défaut : la sortie)")
    erase.add_argument("--yes", action="store_true", help="confirmer : l’effacement est définitif")


def _fail(message: str, code: int = 2) -> int:
    print(message, file=sys.stderr)
    return code


def run(store: SqlStore, args: argparse.Namespace, settings: Settings) -> int:
    from storage.privacy import user_id_of

    now = datetime.now(UTC)
    user_id: int | None = None
    collectivite: CollectiviteInfo | None = None
    if args.user:
        channel, sep, external_id = args.user.partition(":")
        if not sep or not channel or not external_id:
            return _fail("--user attend CANAL:IDENTIFIANT, par exemple telegram:123456789.")
        user_id = user_id_of(store.session, channel, external_id)
        if user_id is None:
            return _fail(f"Personne inconnue : {args.user}.", 1)
    else:
        collectivite = store.people.find_collectivite_by_siret(args.siret.replace(" ", ""))
        if collectivite is None:
            return _fail(f"Aucune collectivité de SIRET {args.siret}.", 1)
    if args.gdpr_command == "export":
        if collectivite is None:
            assert user_id is not None
            content = document(ExportScope.ME, now, store.privacy.export_person(user_id))
        else:
            data = store.privacy.export_collectivite(collectivite.id)
            content = document(ExportScope.COLLECTIVITE, now, data)
        if args.output:
            args.output.write_bytes(content)
            print(f"Export écrit dans {args.output} ({len(content)} octets).")
        else:
            sys.stdout.write(content.decode("utf-8") + "\n")
        return 0
    if not args.yes:
        return _fail("L’effacement est définitif : ajoutez --yes pour confirmer.")
    if collectivite is None:
        assert user_id is not None
        for line in erase_person(store, user_id, now, settings.default_locale):
            print(line)
        print(f"{args.user} : données personnelles effacées.")
        return 0
    told = delete_collectivite(store, collectivite.id, now, settings.default_locale)
    print(f"{collectivite.name} supprimée ; {told} personne(s) prévenue(s).")
    return 0


def _tell(
    store: SqlStore,
    user_id: int,
    key: str,
    render: Callable[[Translator], Reply],
    now: datetime,
    default: str,
) -> bool:
    person = store.people.user(user_id)
    if person is None:
        return False
    return store.outbox.enqueue(user_id, key, render(translator(locale_of(person, default))), now)


def erase_person(store: SqlStore, user_id: int, now: datetime, default_locale: str) -> list[str]:
    """Erase one person outside their own conversation; returns what was done besides."""
    from storage.privacy import hand_over

    done: list[str] = []
    for member in store.people.memberships(user_id):  # the last-administrator rule, in each
        cid, name = member.collectivite.id, member.collectivite.name
        store.people.lock_collectivite(cid)
        handed = hand_over(store.session, user_id, cid)
        if handed is not None:
            _cid, new_admin = handed
            _tell(store, new_admin, f"made-admin:{cid}:{new_admin}:{user_id}",
                  partial(made_admin, name=name), now, default_locale)  # fmt: skip
            done.append(f"Nouvel administrateur de {name} : personne n°{new_admin}.")
        team = store.people.members(cid)
        if len(team) == 1:
            done.append(f"{name} n’a plus aucun membre (ecoclic admin gdpr erase --siret …).")
        for admin in (m for m in team if m.is_admin and m.user_id != user_id):
            _tell(store, admin.user_id, f"member-erased:{cid}:{user_id}:{admin.user_id}",
                  partial(member_erased, name=name), now, default_locale)  # fmt: skip
    store.privacy.erase_person(user_id, now)
    return done


def delete_collectivite(
    store: SqlStore, collectivite_id: int, now: datetime, default_locale: str
) -> int:
    """Delete a collectivité, telling its members and its OPSN's referents; how many were told."""
    status = store.opsn.collectivite_status(collectivite_id)
    if status is None:
        return 0
    name = status.collectivite.name
    store.people.lock_collectivite(collectivite_id)
    told = {m.user_id for m in store.people.members(collectivite_id)}
    attachment = store.opsn.open_attachment(collectivite_id)
    if attachment is not None:
        told.update(store.opsn.referent_ids(attachment.opsn_id))
    sent = 0
    for uid in sorted(told):
        key = f"collectivite-deleted:{collectivite_id}:{uid}"
        sent += _tell(
            store, uid, key, lambda tr: collectivite_deleted(tr, name), now, default_locale
        )
    store.privacy.delete_collectivite(collectivite_id, now)
    return sent
