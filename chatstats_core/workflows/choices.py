"""The choices the workflows take from the command line, in a module that imports nothing of
the core: the CLI types its options with them without loading a workflow."""

from __future__ import annotations

import enum


class GroupBy(enum.Enum):
    """What ``report --by`` groups sessions by."""

    TENANT = "tenant"
    MEDIA_ORIGIN = "media-origin"
    LANGUAGE = "language"
    MEDIA_TYPE = "media-type"
    ENDED_BY = "ended-by"
    DAY = "day"
    HOUR = "hour"
