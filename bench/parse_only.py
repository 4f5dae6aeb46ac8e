"""The baseline process of the engine benchmark: read every transcript in a folder and parse it
(orjson for .json, defusedxml for .xml), nothing else. ``python bench/parse_only.py DIR``."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from defusedxml.ElementTree import fromstring


def main() -> None:
    """Parse every file of the folder given, in name order."""
    for path in sorted(Path(sys.argv[1]).iterdir()):
        data = path.read_bytes()
        if path.suffix == ".json":
            orjson.loads(data)
        else:
            fromstring(data)


if __name__ == "__main__":
    main()
