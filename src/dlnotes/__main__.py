"""``python -m dlnotes`` runs the command-line interface."""

from dlnotes.cli import main

raise SystemExit(main())
