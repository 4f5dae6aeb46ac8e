"""chatstats command-line interface (import name ``chatstats_cli``): thin wiring over the core."""
