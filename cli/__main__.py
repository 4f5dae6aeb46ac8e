"""``python -m chatstats_cli``."""

from .app import main

main()
