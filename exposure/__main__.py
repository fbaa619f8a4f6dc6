"""`python -m exposure`: the command line, as the `exposure` script runs it."""

from .cli import main

main()
