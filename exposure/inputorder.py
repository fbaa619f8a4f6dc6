"""What is said about each input, said in input order while the inputs are stored out of it.

The ingest writes the small files of one format together wherever they lie in the input (exposure/ingest.py
`_Held`): a file may be stored after files that come later in the input. What is said about it (its progress,
its outcome: the terminal's lines, the API's callbacks, the seal's `stored`) waits here until every input
before it is said, so the order of what is said is the input's order, as when each file is stored in its place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Say = Callable[[], None]


class InputOrder:
    """Per place in the input (0, 1, ...), what to say once it is done, said in place order."""

    def __init__(self) -> None:
        self._done: dict[int, Sequence[Say]] = {}
        self._next = 0  # the first place not said yet

    @property
    def said(self) -> int:
        """How many places, from the first, are said."""
        return self._next

    def done(self, place: int, says: Sequence[Say]) -> None:
        """The input at `place` is done: `says` run, in order, once every place before it is said."""
        self.kept(place, says)
        self.say()

    def kept(self, place: int, says: Sequence[Say]) -> None:
        """The input at `place` is done, nothing said yet: `says` run at the next `say` (or `release`) once every
        place before it is said. For a file stored in a commit a Ctrl-C waits for: what is said about it (the
        caller's callbacks, which may take their time) is said after the commit, the stop no longer held."""
        if place < self._next or place in self._done:
            raise ValueError(f"input {place} is done twice")
        self._done[place] = says

    def say(self) -> None:
        """Say every place done whose places before it are all said, in place order."""
        while self._next in self._done:
            for say in self._done.pop(self._next):
                say()
            self._next += 1

    def release(self) -> None:
        """Say every place done but waiting for one before it that will not be done (the command was stopped):
        in place order, passing over the places not done, so what was stored is said (and sealed)."""
        for place in sorted(self._done):
            for say in self._done.pop(place):
                say()
