"""Evidence ids handed out in input order to files whose registry rows are written later.

A file's evidence id is the next one (the registry's highest plus one) when it is stored, or, read again, the
first of the never-sealed rows it replaces (exposure/ingest.py `_forget`). Small files of one format are held and
written together wherever they lie in the input (exposure/ingest.py `_Held`): each takes, when it is read in its
place, the id it would take stored there, and any file stored alone meanwhile takes the id it would take with
the held files stored before it. The earliest-ingested rule (queries/citation.sql) reads these ids: they must be
those of storing each file in its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb


class HeldIds:
    """The ids of held files (`taken`) and the never-sealed ids their writing will remove (`freed`): the registry
    as it would be with the held files stored, as far as the next id goes."""

    def __init__(self) -> None:
        self.taken: set[int] = set()
        self.freed: set[int] = set()
        self._top: int | None = None  # the highest id of that registry, while nothing else wrote one

    def next_id(self, con: duckdb.DuckDBPyConnection, redo: Sequence[int] = ()) -> int:
        """The id of a file about to be stored: the first of its never-sealed rows (`redo`), else the next."""
        if redo:
            return min(redo)
        if self._top is None:
            stored = con.execute("SELECT coalesce(max(evidence_id), 0) FROM evidence "
                                 "WHERE NOT list_contains(?, evidence_id)", [sorted(self.freed)]).fetchone()[0]
            self._top = max(int(stored), max(self.taken, default=0))
        return self._top + 1

    def hold(self, con: duckdb.DuckDBPyConnection, redo: Sequence[int] = ()) -> int:
        """The id of a file held to be written later (its never-sealed rows `redo` removed then), taken now."""
        evid = self.next_id(con, redo)
        self.taken.add(evid)
        if redo:
            self.freed.update(redo)
            self._top = None  # the rows it replaces may have held the highest id
        else:
            self._top = evid
        return evid

    def written(self, ids: Iterable[int], redo: Iterable[int]) -> None:
        """Held files were written under `ids`, their never-sealed rows `redo` removed."""
        self.taken.difference_update(ids)
        self.freed.difference_update(redo)
        self._top = None

    def changed(self) -> None:
        """A file was stored (or not) outside the held ones: the highest id is asked again."""
        self._top = None
