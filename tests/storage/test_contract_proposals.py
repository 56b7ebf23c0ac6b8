"""Contract of `store.proposals`: recommendations an OPSN pushes, decided once, on every backend."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.ports import Transaction
from dialogs.records import ItemOrigin, NewProposal, ProposalStatus
from tests.helpers.contract import NOW, collectivite, person
from tests.helpers.db import StoreBackend

WORKSHOP = NewProposal(
    question_id=None,
    title="Atelier sobriété numérique du 12 mars",
    why="Les agents découvrent les bons gestes.",
    how="Inscrivez deux agents auprès de l’OPSN.",
    priority=2,
    due_date=date(2027, 3, 12),
)
CATALOGUE = NewProposal(question_id="GOV-01", title="", why="", how="", priority=3, due_date=None)


class TestProposalContract:
    def test_batch_decisions_and_lists(self, backend: StoreBackend) -> None:
        later = NOW + timedelta(hours=2)

        def work(tx: Transaction) -> None:
            store = tx.store.proposals
            operator, _ = tx.store.opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            other, _ = tx.store.opsn.save_opsn("alpes", "Alpes", ("05",), NOW)
            ref = person(tx, "ref", "Romane")
            a, admin_a = collectivite(tx, "1", "21310555400017")
            b, admin_b = collectivite(tx, "2", "21600057000012")

            sent = store.propose(operator.id, [a, b], WORKSHOP, created_by=ref, now=NOW)
            assert [p.collectivite_id for p in sent] == [a, b]
            assert sent[0].batch == sent[1].batch == sent[0].id
            first = sent[0]
            assert (first.title, first.why, first.how) == (
                WORKSHOP.title,
                WORKSHOP.why,
                WORKSHOP.how,
            )
            assert (first.priority, first.due_date, first.question_id) == (
                2,
                date(2027, 3, 12),
                None,
            )
            assert first.status is ProposalStatus.PENDING and first.reason == ""
            assert (first.created_by, first.created_at, first.decided_by) == (ref, NOW, None)
            assert first.collectivite_name == "Test" and first.action_item_id is None
            assert store.proposal(first.id) == first
            assert store.proposal(first.id + 100) is None

            (single,) = store.propose(operator.id, [a], CATALOGUE, created_by=ref, now=later)
            assert single.batch == single.id and single.question_id == "GOV-01"
            assert store.propose(other.id, [], WORKSHOP, created_by=ref, now=NOW) == []

            assert store.decide(first.id, accepted=True, reason="", user_id=admin_a, now=later)
            assert not store.decide(
                first.id, accepted=False, reason="x", user_id=admin_a, now=later
            )
            accepted = store.proposal(first.id)
            assert accepted is not None and accepted.status is ProposalStatus.ACCEPTED
            assert (accepted.decided_by, accepted.decided_at) == (admin_a, later)
            item = tx.store.plan.create_item(a, "GOV-01", actor_id=admin_a, now=later)
            store.link_item(first.id, item.id)
            linked = store.proposal(first.id)
            assert linked is not None and linked.action_item_id == item.id

            reason = "Déjà fait l’an dernier. " * 20
            assert store.decide(
                sent[1].id, accepted=False, reason=reason, user_id=admin_b, now=later
            )
            declined = store.proposal(sent[1].id)
            assert declined is not None and declined.status is ProposalStatus.DECLINED
            assert declined.reason == reason[:300]

            assert [p.id for p in store.of_opsn(operator.id)] == [single.id, sent[1].id, first.id]
            assert [p.id for p in store.of_opsn(operator.id, ProposalStatus.PENDING)] == [single.id]
            assert [p.id for p in store.of_opsn(operator.id, limit=1)] == [single.id]
            assert store.of_opsn(other.id) == []

        backend.db.run(work)

    def test_deleting_the_own_action_unlinks_the_proposal(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            operator, _ = tx.store.opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            ref = person(tx, "ref", "Romane")
            a, admin = collectivite(tx)
            (p,) = tx.store.proposals.propose(operator.id, [a], WORKSHOP, created_by=ref, now=NOW)
            assert tx.store.proposals.decide(p.id, accepted=True, reason="", user_id=admin, now=NOW)
            item = tx.store.plan.create_own_item(
                a,
                origin=ItemOrigin.OPSN,
                title=WORKSHOP.title,
                details=None,
                theme_id=None,
                priority=2,
                due_date=None,
                assignee_id=None,
                opsn_id=operator.id,
                actor_id=admin,
                now=NOW,
            )
            tx.store.proposals.link_item(p.id, item.id)
            assert tx.store.plan.delete_own_item(item.id)
            gone = tx.store.proposals.proposal(p.id)
            assert gone is not None and gone.action_item_id is None
            assert gone.status is ProposalStatus.ACCEPTED

        backend.db.run(work)

    def test_deleting_a_collectivite_deletes_its_proposals(self, backend: StoreBackend) -> None:
        def work(tx: Transaction) -> None:
            operator, _ = tx.store.opsn.save_opsn("occitan", "Opérateur Occitan", ("31",), NOW)
            ref = person(tx, "ref", "Romane")
            a, admin = collectivite(tx)
            (p,) = tx.store.proposals.propose(operator.id, [a], WORKSHOP, created_by=ref, now=NOW)
            assert tx.store.proposals.decide(p.id, accepted=True, reason="", user_id=admin, now=NOW)
            item = tx.store.plan.create_item(a, "GOV-01", actor_id=admin, now=NOW)
            tx.store.proposals.link_item(p.id, item.id)
            exported = tx.store.privacy.export_collectivite(a)
            assert [row["title"] for row in exported["proposals"]] == [WORKSHOP.title]  # type: ignore[index]
            mine = tx.store.privacy.export_person(ref)
            assert [row["id"] for row in mine["proposals"]] == [p.id]  # type: ignore[index]
            tx.store.privacy.delete_collectivite(a, NOW)
            assert tx.store.proposals.proposal(p.id) is None

        backend.db.run(work)
        assert backend.rows("recommendation_proposals") == []
