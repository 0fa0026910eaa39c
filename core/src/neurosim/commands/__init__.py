"""Subcommands of the ``neurosim`` command line (one module per command)."""
