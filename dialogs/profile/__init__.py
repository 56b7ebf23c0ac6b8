"""A person's collectivités: /collectivite lists them, switches the active one, and lets an
administrator correct the active one's profile (name, type, département, population). Owns the "pf"
button family (`dialogs.profile.buttons`).

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
