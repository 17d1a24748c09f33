"""Records kept on disk while a long output is put together, read back in any order.

    with RecordSpill() as spill:
        spill.append(record)
        first = spill[0]

A report over a large store has hundreds of thousands of records (about 3 KB each with their
quotes and explanations), which would all be held in memory only to be reordered. The spill
holds them in an anonymous temporary file instead: it has no name in the file system, so the
quotes it holds (the data is about persecuted people) are never left behind, whatever ends the
process. What stays in memory is one offset per record.

Records are written with marshal: three times faster than JSON both ways (0.29 against 0.57 s
for the 36,000 records of a 10,000-article store), and only this process can reach the file,
so marshal's lack of defence against crafted input does not arise. Values are the query's:
strings, numbers, None, lists and dicts of them.
"""

from __future__ import annotations

import marshal
import tempfile
from abc import abstractmethod
from array import array
from collections.abc import Sequence
from typing import Any


class RecordSpill:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._ends = array("Q", [0])   # record i is the bytes between _ends[i] and _ends[i + 1]

    def append(self, record: dict[str, Any]) -> None:
        if self._file.tell() != self._ends[-1]:   # a record was read since the last was written
            self._file.seek(self._ends[-1])
        encoded = marshal.dumps(record)
        self._file.write(encoded)
        self._ends.append(self._ends[-1] + len(encoded))

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, position: int) -> dict[str, Any]:
        if not 0 <= position < len(self):
            raise IndexError(position)
        start = self._ends[position]
        self._file.seek(start)
        return marshal.loads(self._file.read(self._ends[position + 1] - start))

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "RecordSpill":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpilledSequence(Sequence):
    """A sequence whose items are made when asked for (`_item`, from records in a spill): indexed
    and sliced as a list is, and equal to a list of the same items."""

    @abstractmethod
    def _item(self, index: int) -> Any:
        """The item at this index, 0 <= index < len(self)."""

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)
