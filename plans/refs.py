"""Natural ordering of plan references such as "1.2", "1.10", "b" and "DA06"."""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\d+)")


def ref_sort_key(ref: str) -> str:
    """A string that sorts refs naturally: "1.2" < "1.10", "a" < "b", "DA6" < "DA06x".

    Digit runs are zero-padded to ten places so that plain string ordering in the
    database (SQLite and PostgreSQL alike) gives the natural order.
    """
    text = (ref or "").strip().lower()
    return "".join(part.zfill(10) if part.isdigit() else part for part in _PARTS.split(text))


class NaturallyOrdered:
    """Mixin for models with a ``ref`` and a derived ``sort_key``.

    ``sort_key`` is filled by a ``pre_save`` signal (see ``plans.signals``) so that it is right
    even for rows written by ``loaddata``, which bypasses ``save()``.
    """

    def fill_sort_key(self) -> None:
        self.sort_key = ref_sort_key(self.ref)
