"""The one CSV writer of chatstats: every CSV it writes (replay, infomart, sweep, report,
generate's exports) is made of these cells and rows, and a report read back (``diff
--expected``) undoes the same formula guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell: booleans as true/false, None empty, numbers as they are; text that a
    spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets
    a leading apostrophe, as OWASP recommends, so it is shown, never evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def unguarded(text: str) -> str:
    """A cell as it was before :func:`cell` guarded it against formula injection."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def row(values: Sequence[object], line_end: str = "\n") -> str:
    """One CSV line (booleans as true/false, None as an empty cell); ``line_end`` ``\\r\\n``
    for a file that imitates a Windows export (a UCS CSV)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerow([cell(v) for v in values])
    return buffer.getvalue()


def rows(lines: Iterable[Sequence[object]]) -> str:
    """Several CSV lines, each as :func:`row` makes it."""
    return "".join(row(values) for values in lines)
