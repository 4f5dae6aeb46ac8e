"""``python -m chatstats_cli``."""

from chatstats_cli.app import main

main()
