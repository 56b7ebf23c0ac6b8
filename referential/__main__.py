"""`python -m referential check|export`: validate the content before the main CLI is wired."""

from __future__ import annotations

from referential.cli import main

raise SystemExit(main())
