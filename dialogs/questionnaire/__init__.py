"""The questionnaire: registering a collectivité (onboarding), answering questions, and the scores.

Modules: `buttons` (the a, w, d, s, b, q, t, r and ob button families, importable by any package),
`onboarding` (registration), `questions` (one question at a time), `results` (scores). Storing an
answer goes through dialogs.answers, which also re-scores and keeps the plan in step.

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
