"""`ecoclic chat` end to end: a real process, stdin piped from a script, the embedded SQLite default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.terminal import TerminalChannel
from dialogs.events import Event, EventKind, Sender
from dialogs.replies import Button, Outcome, Reply
from referential.loader import default_referential

# Toulouse's SIRET: its SIREN encodes département 31 (another one would be questioned).
SCRIPT = ["1", "21310555400017", "1", "Commune de Test", "31", "1200", "1"]


def run_chat(lines: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOCLIC_")}
    return subprocess.run(
        [sys.executable, "-m", "ecoclic.cli", "chat"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_whole_questionnaire_from_piped_stdin(tmp_path: Path) -> None:
    questions = default_referential().level_questions(1)
    answers = []
    for i, q in enumerate(questions):
        # Number of a button (1 = first answer), typed text, or a choice number.
        answers.append(
            ["1", "non", "je ne sais pas", "oui"][i % 4] if q.answer_type.value == "yes_no" else "3"
        )
    result = run_chat([*SCRIPT, *answers, "/score", "/plan"], tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Commune de Test est enregistrée" in out
    assert "Questionnaire terminé" in out
    assert "Indice de maturité" in out and "Plan d’actions" in out
    assert "Traceback" not in out + result.stderr
    assert out.rstrip().endswith("À bientôt !")
    assert (tmp_path / "ecoclic.sqlite3").exists()


def test_resume_in_a_new_process_and_survive_garbage(tmp_path: Path) -> None:
    first = run_chat([*SCRIPT, "non"], tmp_path)
    assert first.returncode == 0, first.stderr
    second_question = default_referential().level_questions(1)[1]
    garbage = ["", "\x00\x01", "é" * 5000, "/inconnue", "42", "/annuler", "/reprendre"]
    second = run_chat([*garbage, "1"], tmp_path)  # "1" presses "Reprendre"
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert second_question.text in second.stdout


def test_empty_stdin_ends_cleanly(tmp_path: Path) -> None:
    result = run_chat([], tmp_path)
    assert result.returncode == 0
    assert "Bonjour" in result.stdout and "À bientôt" in result.stdout


class NoService:
    async def handle(self, sender: Sender, event: Event) -> Outcome:
        raise AssertionError("not used here")

    async def replies_sent(self, sender: Sender, event_id: str) -> None:
        raise AssertionError("not used here")


def test_typed_numbers_press_buttons_and_other_digits_are_text() -> None:
    """Digits that isdigit() accepts and int() refuses ("²", "٣") are plain text, never a crash."""
    channel = TerminalChannel(NoService())
    channel.buttons = [Button("Oui", "a:GOV-01:oui"), Button("Non", "a:GOV-01:non")]
    assert channel.to_event("2") == Event.button("a:GOV-01:non")
    assert channel.to_event(" non ") == Event.button("a:GOV-01:non")
    for typed in ("²", "٣", "3", "0"):
        event = channel.to_event(typed)
        assert event.kind is EventKind.TEXT and event.text == typed


def test_a_restart_shows_the_question_we_were_at(tmp_path: Path) -> None:
    """Issue 16: the terminal restarted mid-questionnaire greets with the current question."""
    first, second = default_referential().level_questions(1)[:2]
    run_chat([*SCRIPT, "oui"], tmp_path)  # answers the first question, the second is shown
    again = run_chat([], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Nous en étions à cette question" in again.stdout
    assert second.text in again.stdout and first.text not in again.stdout


def test_a_typed_number_answers_a_free_text_prompt() -> None:
    """While the engine expects text, « 01 » is département 01 and « 1 » a number, never button 1."""
    channel = TerminalChannel(NoService())
    channel.render(Outcome((Reply("Dans quel département ?", ((Button("Annuler", "ob:x"),),)),)))
    assert channel.to_event("1") == Event.button("ob:x")  # no text expected: the button wins
    channel.render(
        Outcome(
            (Reply("Dans quel département ?", ((Button("Annuler", "ob:x"),),)),), expects_text=True
        )
    )
    for typed in ("01", "1"):
        event = channel.to_event(typed)
        assert event.kind is EventKind.TEXT and event.text == typed
    assert channel.to_event("annuler") == Event.button("ob:x")  # a label still presses its button


def test_registration_in_departement_01(tmp_path: Path) -> None:
    """Issue 17: « 01 » typed at the département step used to press [1] Annuler."""
    script = ["1", "20004697700001", "2", "CC du Test", "01", "1200", "1", "/lien"]
    result = run_chat(script, tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Département : 01" in out
    assert "CC du Test est enregistrée" in out
    assert "annulée" not in out.lower()
    assert "servie par « ecoclic serve »" in out  # /lien: the terminal serves no page itself
