"""Scores: /score, the « Mon score » button, and the end of the questionnaire."""

from __future__ import annotations

from referential.models import Referential
from tests.helpers.chat import ChatDriver

SIRET = "21310555400017"


async def test_score_needs_a_collectivite(chat: ChatDriver) -> None:
    await chat.say("/score")
    assert "Il faut d’abord inscrire votre collectivité" in chat.text()
    assert [b.data for b in chat.buttons()] == ["ob:go"]


async def test_score_and_plan_buttons(chat: ChatDriver, referential: Referential) -> None:
    await chat.register(SIRET)
    await chat.tap("r:score")
    text = chat.text()
    assert "Indice de maturité : 0/100" in text
    for theme in referential.level_themes(1):
        assert f"• {theme.title} : " in text
    assert "Indice provisoire" in text  # nothing answered yet
    # « Continuer le questionnaire » (no dead end before the end), « Voir le plan d’actions »,
    # and « Définir une cible » while the team has none.
    assert [b.data for b in chat.buttons()] == ["q:go", "p:l", "tg:m"]
    assert "Cible" not in text
    await chat.press("Voir le plan")
    assert chat.last is not None and chat.last.replies


async def test_final_results_offer_the_plan_and_the_menu(
    chat: ChatDriver, referential: Referential
) -> None:
    await chat.register(SIRET)
    questions = referential.level_questions(1)
    for q in questions[:-1]:
        best = max(q.options, key=lambda o: o.credit).id if q.options else "oui"
        await chat.tap(f"a:{q.id}:{best}")
    worst = (
        min(questions[-1].options, key=lambda o: o.credit).id if questions[-1].options else "non"
    )
    await chat.tap(f"a:{questions[-1].id}:{worst}")
    text = chat.text()
    assert "Questionnaire terminé" in text
    # One open recommendation: singular (ngettext), not « Les 1 actions ».
    last = questions[-1].recommendation
    assert last is not None
    assert "L’action à mener en premier :" in text and last.title in text
    assert [b.data for b in chat.buttons()] == ["p:l", "q:menu"]
    await chat.press("Modifier une réponse")
    assert "Choisissez un thème" in chat.text()


async def test_score_shows_progress_towards_the_target(chat: ChatDriver) -> None:
    await chat.register(SIRET)
    for _ in range(6):
        await chat.say("non")
    await chat.say("/score")
    await chat.press("Définir une cible")
    assert "Pas encore de cible" in chat.text()
    await chat.press("Lettre D")
    await chat.press("Dans 1 an")
    await chat.say("/score")
    text = chat.text()
    line = next(line for line in text.splitlines() if line.startswith("Cible : "))
    assert line.startswith("Cible : lettre D d’ici le ") and " · indice 0/100 · encore " in line
    assert line.endswith(" mois restants") and (" action · " in line or " actions · " in line)
    assert "tg:m" not in [b.data for b in chat.buttons()]  # a target exists: /cible changes it
