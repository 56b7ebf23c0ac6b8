"""Data rights: /confidentialite, /mesdonnees (a JSON file of what is kept), /supprimer (erasure of
a person, deletion of a whole collectivité), and the texts of the retention warning. Owns the "pv"
button family (`dialogs.privacy.buttons`).

The package's `router` is assembled in `routes`; this file stays empty so that importing one
module (say `texts`, from the welcome) never loads the whole feature.
"""
