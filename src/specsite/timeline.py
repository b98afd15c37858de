"""When a spec last changed: its ``updated`` date, else its ``date``, as a calendar day.

The dashboard's "changed in the last 14 days" and the explorer's ``since``/``until``
filters both read this one value, so a chart's number and its view's rows agree.
Dates come from ``info`` (front matter, sidecar, header lines, or git when a date is
not written); a date that is not a calendar day ('Q3 2025') counts as unknown.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from specsite.model import Spec

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")


def as_day(value: Any) -> datetime.date | None:
    """A date, a datetime or text starting with an ISO day, as a day; anything else None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, list) and value:
        return as_day(value[0])
    if isinstance(value, str):
        match = _ISO_DAY.match(value)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def changed_on(spec: Spec) -> datetime.date | None:
    """The day the spec last changed: ``updated`` when given (and a day), else ``date``;
    either as written, else from git history (``Spec.shown``)."""
    updated = as_day(spec.shown("updated"))
    return updated if updated is not None else as_day(spec.shown("date"))


def build_day() -> datetime.date:
    """'Today' for the dashboard's window: ``SPECSITE_TODAY`` (an ISO day, for tests and
    reproducible builds), else ``SOURCE_DATE_EPOCH``, else the build machine's UTC day."""
    import os

    given = as_day(os.environ.get("SPECSITE_TODAY", ""))
    if given is not None:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return datetime.datetime.now(datetime.UTC).date()
