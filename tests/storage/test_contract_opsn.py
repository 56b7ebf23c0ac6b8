"""Contract of `store.opsn`: the OPSN directory, referents and attachments."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.ports import Transaction
from dialogs.records import AttachmentStatus
from tests.helpers.contract import NOW, collectivite, person
from tests.helpers.db import StoreBackend


class TestOpsnContract:
    def test_directory_and_referents(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            opsn = tx.store.opsn
            occitan, created = opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            assert created and (occitan.slug, occitan.departements) == ("occitan", ("31",))
            alpes, _ = opsn.save_opsn("alpes", "Éclat des Alpes", ("05", "38"), NOW)
            renamed, created = opsn.save_opsn("occitan", "Agence Occitane", ("31", "32"), NOW)
            assert not created and renamed.id == occitan.id
            assert (renamed.name, renamed.departements) == ("Agence Occitane", ("31", "32"))
            # Sorted by name without accents or case, then slug.
            assert [o.slug for o in opsn.all_opsn()] == ["occitan", "alpes"]
            assert opsn.opsn(occitan.id) == renamed
            assert opsn.opsn(occitan.id + 100) is None
            assert opsn.opsn_by_slug("alpes") == alpes
            assert opsn.opsn_by_slug("nope") is None

            noa, zoe = person(tx, "1", "Noa"), person(tx, "2", "Zoé")
            assert opsn.add_referent(alpes.id, zoe, NOW)
            assert opsn.add_referent(alpes.id, noa, NOW)
            assert not opsn.add_referent(alpes.id, noa, NOW)
            assert opsn.add_referent(occitan.id, noa, NOW)
            assert opsn.referent_ids(alpes.id) == [zoe, noa]
            assert opsn.referent_ids(occitan.id) == [noa]
            assert [o.slug for o in opsn.referent_opsn(noa)] == ["occitan", "alpes"]
            assert opsn.referent_opsn(noa + zoe + 100) == []

        backend.db.run(work)

    def test_attachment_life_and_level2(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=1)

        def work(tx: Transaction) -> None:
            opsn, people = tx.store.opsn, tx.store.people
            cid, elu = collectivite(tx)
            ref = person(tx, "2", "Ref")
            operator, _ = opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            assert opsn.open_attachment(cid) is None

            asked = opsn.request_attachment(cid, operator.id, elu, NOW)
            assert asked.status is AttachmentStatus.PENDING and asked.is_open
            assert (asked.collectivite_id, asked.opsn_id, asked.requested_by) == (
                cid,
                operator.id,
                elu,
            )
            assert (asked.decided_by, asked.ended_by, asked.created_at) == (None, None, NOW)
            assert opsn.open_attachment(cid) == asked
            assert opsn.attachment(asked.id) == asked
            assert opsn.attachment(asked.id + 100) is None

            assert opsn.decide_attachment(asked.id, True, ref, later)
            assert not opsn.decide_attachment(asked.id, False, ref, later)  # decided once
            accepted = opsn.attachment(asked.id)
            assert accepted is not None and accepted.status is AttachmentStatus.ACCEPTED
            assert (accepted.decided_by, accepted.decided_at) == (ref, later)
            membership = people.membership(elu)
            assert membership is not None and membership.collectivite.level2_enabled
            assert not opsn.close_attachment(asked.id, AttachmentStatus.WITHDRAWN, elu, later)
            assert opsn.close_attachment(asked.id, AttachmentStatus.ENDED, ref, later)
            assert not opsn.close_attachment(asked.id, AttachmentStatus.ENDED, ref, later)
            ended = opsn.attachment(asked.id)
            assert ended is not None and ended.status is AttachmentStatus.ENDED
            assert (ended.ended_by, ended.ended_at, ended.is_open) == (ref, later, False)
            status = opsn.collectivite_status(cid)
            assert status is not None and not status.collectivite.level2_enabled
            assert opsn.open_attachment(cid) is None

            again = opsn.request_attachment(cid, operator.id, elu, later)
            assert not opsn.close_attachment(again.id, AttachmentStatus.ENDED, elu, later)
            assert opsn.close_attachment(again.id, AttachmentStatus.WITHDRAWN, elu, later)
            assert not opsn.decide_attachment(again.id, True, ref, later)
            refused = opsn.request_attachment(cid, operator.id, elu, later)
            assert opsn.decide_attachment(refused.id, False, ref, later)
            found = opsn.attachment(refused.id)
            assert found is not None and found.status is AttachmentStatus.REFUSED
            assert opsn.open_attachment(cid) is None
            status = opsn.collectivite_status(cid)
            assert status is not None and not status.collectivite.level2_enabled
            for wrong in (AttachmentStatus.PENDING, AttachmentStatus.ACCEPTED):
                with pytest.raises(ValueError):
                    opsn.close_attachment(refused.id, wrong, elu, later)
            assert opsn.collectivite_status(cid + 100) is None

        backend.db.run(work)

    def test_followed_and_pending_lists(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            opsn = tx.store.opsn
            operator, _ = opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            other, _ = opsn.save_opsn("alpes", "Alpes", ("05",), NOW)
            ref = person(tx, "ref", "Ref")
            sirets = ["21310555400017", "21600057000012", "21310001000011", "21310002000012"]
            made = [collectivite(tx, str(n), siret) for n, siret in enumerate(sirets)]
            (a, ua), (b, ub), (c, uc), (d, ud) = made
            for cid, uid in made[:3]:
                asked = opsn.request_attachment(cid, operator.id, uid, NOW)
                if cid != c:
                    assert opsn.decide_attachment(asked.id, True, ref, NOW)
            opsn.request_attachment(d, other.id, ud, NOW)
            # b was active last, then a: most recently active first.
            tx.store.answers.set(
                a, "GOV-01", "oui", referential_version="1", user_id=ua, now=NOW + timedelta(1)
            )
            tx.store.answers.set(
                b, "GOV-01", "oui", referential_version="1", user_id=ub, now=NOW + timedelta(2)
            )
            followed = opsn.followed(operator.id)
            assert [s.collectivite.id for _, s in followed] == [b, a]
            assert all(at.status is AttachmentStatus.ACCEPTED for at, _ in followed)
            assert followed[0][1].last_activity_at == NOW + timedelta(2)
            pending = opsn.pending_for(operator.id)
            assert [(at.collectivite_id, s.collectivite.id) for at, s in pending] == [(c, c)]
            assert [at.collectivite_id for at, _ in opsn.pending_for(other.id)] == [d]
            assert opsn.followed(other.id) == []
            assert uc

        backend.db.run(work)
