"""The one CSV writer of chatstats: every CSV it writes (replay, infomart, sweep, report,
generate's exports) is made of these cells and rows, and a report read back (``diff
--expected``) undoes the same formula guard, exactly.

Text from an input is shown escaped (:func:`chatstats_core.safetext.shown`: an escape sequence
or a line break in a session id cannot act on a terminal, split a row, or start a line a
spreadsheet reads as a formula); that escaping is one way, as on every text output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from chatstats_core.safetext import shown

#: What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object, escape: bool = True) -> str:
    """A CSV cell: booleans as true/false, None empty, numbers as they are; text shown escaped
    (unless ``escape`` is off, for chatstats's own generated exports), then guarded: text a
    spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
    after any apostrophes) gets one leading apostrophe more, as OWASP recommends, so it is
    shown, never evaluated, and :func:`unguarded` gives it back exactly. Stdin's name as a
    source (``-``, ``-:17``) is no formula and stays as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    text = shown(value) if escape else value
    return "'" + text if _is_formula(text) else text


#: Stdin's names as sources (``-``, ``-:17`` for its 17th line): typed by the user, no formula.
_STDIN_NAME = re.compile(r"-(?::[0-9]+)?")


def _is_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS) and not _STDIN_NAME.fullmatch(text)


def unguarded(text: str) -> str:
    """A cell as it was before :func:`cell` guarded it against formula injection."""
    if text.startswith("'") and _is_formula(text):
        return text[1:]
    return text


def row(values: Sequence[object], line_end: str = "\n", escape: bool = True) -> str:
    """One CSV line (booleans as true/false, None as an empty cell); ``line_end`` ``\\r\\n``
    for a file that imitates a Windows export (a UCS CSV)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=line_end).writerow([cell(v, escape) for v in values])
    return buffer.getvalue()


def rows(lines: Iterable[Sequence[object]]) -> str:
    """Several CSV lines, each as :func:`row` makes it."""
    return "".join(row(values) for values in lines)
