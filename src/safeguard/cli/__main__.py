"""`python -m safeguard.cli` runs the command line, as the `safeguard` script does."""

from safeguard.cli import main

main()
