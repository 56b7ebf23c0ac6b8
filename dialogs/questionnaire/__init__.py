"""The questionnaire: registering a collectivité (onboarding), answering questions, and the scores.

Modules: `buttons` (the a, w, d, s, b, q, t, r and ob button families, importable by any package),
`onboarding` (registration), `questions` (one question at a time), `results` (scores). Storing an
answer goes through dialogs.answers, which also re-scores and keeps the plan in step.

`router` is built on first use (PEP 562), not when the package is imported: core modules such as
dialogs.access import `buttons` (« Inscrire ma collectivité »), and importing a submodule runs this
file first, so loading the feature modules here would re-enter dialogs.access half-initialised.
"""

from __future__ import annotations

import functools

from dialogs.router import Router

__all__ = ["router"]


@functools.cache
def _router() -> Router:
    from dialogs.questionnaire import onboarding, questions, results

    router = Router()
    for module in (onboarding, questions, results):
        router.include(module.router)
    return router


def __getattr__(name: str) -> Router:
    if name == "router":
        return _router()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
