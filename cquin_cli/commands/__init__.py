"""One module per command; each has ``register(app)``. See ``cquin_cli/cli.py``."""
