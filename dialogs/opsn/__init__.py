"""OPSN (public digital-service operators): a collectivité's attachment request and its end, the
referents' followed collectivités, and platform administration (/admin, referent links).
Owns the "at" and "pa" button families (`dialogs.opsn.buttons`).

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `buttons`, from another package) never loads the whole feature.
"""
