"""The collectivité's team: /equipe (members, administrators, leaving), functions, invitations and
join requests. Owns the "tm" and "jr" button families (`dialogs.team.buttons`).

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
