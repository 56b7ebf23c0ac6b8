"""Who may see what: a signed link, checked again against the database on every view.

The signature proves we made the link; the database says whether it still holds: a person who left
the team, a referent removed from the OPSN, an attachment that ended — their links stop working at
once, before the 24 hours are over. Every refusal is the same 403, with a French explanation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dialogs.records import AttachmentStatus, CollectiviteStatus, OpsnInfo
from storage.store import SqlStore
from web_summary.links import LinkError, LinkSigner

MESSAGES = {
    "invalid": (
        "Ce lien n’est pas valable : il a peut-être été mal copié. Pour en recevoir un nouveau, "
        "tapez /lien dans votre conversation avec Éco-clic."
    ),
    "expired": (
        "Ce lien a expiré : il n’est valable que 24 heures. Pour en recevoir un nouveau, "
        "tapez /lien dans votre conversation avec Éco-clic."
    ),
    "revoked": (
        "Ce lien ne donne pas (ou plus) accès à cette page. Pour en recevoir un nouveau, "
        "tapez /lien dans votre conversation avec Éco-clic."
    ),
}


class Denied(Exception):
    """A link that opens nothing; `reason` is a key of MESSAGES."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return MESSAGES[self.reason]


def _claims_or_deny(signer: LinkSigner, token: str, kind: str) -> tuple[int, int | None]:
    try:
        claims = signer.check(token, kind)
    except LinkError as exc:
        raise Denied("expired" if exc.expired else "invalid") from exc
    return claims.target_id, claims.user_id


def open_collectivite(session: Session, signer: LinkSigner, token: str) -> CollectiviteStatus:
    """The collectivité a member's (or operator's) link opens, while the person is in its team
    (whichever of their collectivités is active in the chat)."""
    target, user = _claims_or_deny(signer, token, "c")
    if user is not None and SqlStore(session).people.membership_in(user, target) is None:
        raise Denied("revoked")
    status = SqlStore(session).opsn.collectivite_status(target)
    if status is None:
        raise Denied("revoked")
    return status


def open_opsn(session: Session, signer: LinkSigner, token: str) -> OpsnInfo:
    """The OPSN a referent's (or operator's) link opens, while the person is still its referent."""
    target, user = _claims_or_deny(signer, token, "o")
    opsn = SqlStore(session).opsn
    found = opsn.opsn(target)
    if found is None or (user is not None and user not in opsn.referent_ids(target)):
        raise Denied("revoked")
    return found


def open_followed(
    session: Session, signer: LinkSigner, token: str, collectivite_id: int
) -> tuple[OpsnInfo, CollectiviteStatus]:
    """A collectivité seen from its OPSN's dashboard: only while the attachment is accepted."""
    opsn = open_opsn(session, signer, token)
    store = SqlStore(session).opsn
    attachment = store.open_attachment(collectivite_id)
    if (
        attachment is None
        or attachment.opsn_id != opsn.id
        or attachment.status != AttachmentStatus.ACCEPTED
    ):
        raise Denied("revoked")
    status = store.collectivite_status(collectivite_id)
    if status is None:
        raise Denied("revoked")
    return opsn, status
