"""What you have solved: ``drills.json`` beside the quiz's progress, written the same safe way.

The file lives in the user's data directory (:func:`dlnotes.drill.store.data_dir`, or ``$DLNOTES_DATA_DIR``)
and holds, per drill, how many times it was checked, how many of those passed, the day it was first solved
and the day of the last check. It is written atomically after each ``dlnotes drill check``; an unreadable file
is moved aside (``drills.json.corrupt-<time>``) and the command starts afresh with a warning.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import pathlib
from collections.abc import Mapping, Sequence

from dlnotes.drill.store import ProgressError, data_dir, read_json, write_json

__all__ = ["Record", "load_records", "progress_path", "record_check", "reset_records", "save_records"]

_FORMAT_VERSION = 1


@dataclasses.dataclass(frozen=True)
class Record:
    """One drill's history: `checks` run, `passes` among them, the day `solved` first and the `last` check."""

    checks: int = 0
    passes: int = 0
    solved: dt.date | None = None
    last: dt.date | None = None

    def to_json(self) -> dict:
        return {
            "checks": self.checks,
            "passes": self.passes,
            "solved": self.solved.isoformat() if self.solved else None,
            "last": self.last.isoformat() if self.last else None,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Record:
        counts = [data.get("checks", 0), data.get("passes", 0)]
        for count in counts:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"checks and passes must be ints >= 0, got {count!r}")
        if counts[1] > counts[0]:
            raise ValueError(f"passes ({counts[1]}) cannot exceed checks ({counts[0]})")
        days = [None if data.get(k) is None else dt.date.fromisoformat(data[k]) for k in ("solved", "last")]
        return cls(counts[0], counts[1], *days)


def progress_path() -> pathlib.Path:
    """The path of ``drills.json`` (see :func:`dlnotes.drill.store.data_dir`)."""
    return data_dir() / "drills.json"


def load_records(path: str | os.PathLike) -> dict[str, Record]:
    """Read ``drills.json``: drill name -> :class:`Record`; empty when the file does not exist.

    Raises
    ------
    ProgressError
        If the file is not JSON or not of the shape ``{"version": 1, "drills": {name: {...}}}``.
    """
    data = read_json(path)
    if data is None:
        return {}
    try:
        if not isinstance(data, dict) or type(data.get("version")) is not int or data["version"] != 1:
            raise ValueError(f'expected an object with "version": {_FORMAT_VERSION}')
        drills = data.get("drills")
        if not isinstance(drills, dict):
            raise ValueError('expected "drills" to be an object')
        return {str(name): Record.from_json(entry) for name, entry in drills.items()}
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise ProgressError(f"the progress file {path} does not hold dlnotes drill progress ({err})") from err


def save_records(path: str | os.PathLike, records: Mapping[str, Record]) -> None:
    """Write ``drills.json`` atomically (see :func:`dlnotes.drill.store.write_json`)."""
    data = {"version": _FORMAT_VERSION, "drills": {k: records[k].to_json() for k in sorted(records)}}
    write_json(path, data, what="drill progress")


def record_check(records: Mapping[str, Record], name: str, passed: bool, today: dt.date) -> dict[str, Record]:
    """The records after one check of the drill `name` (`passed` or not) on `today`.

    Examples
    --------
    >>> day = dt.date(2026, 12, 3)
    >>> r = record_check(record_check({}, "softmax", False, day), "softmax", True, day)["softmax"]
    >>> r.checks, r.passes, r.solved.isoformat()
    (2, 1, '2026-12-03')
    """
    old = records.get(name, Record())
    new = Record(
        checks=old.checks + 1,
        passes=old.passes + passed,
        solved=old.solved or (today if passed else None),
        last=today,
    )
    return {**records, name: new}


def reset_records(path: str | os.PathLike, names: Sequence[str] | None = None) -> int:
    """Forget some drills (or all, deleting the file); return how many records were removed."""
    path = pathlib.Path(path)
    if names is None:
        try:
            count = len(load_records(path))
        except ProgressError:
            count = 1
        path.unlink(missing_ok=True)
        return count
    records = load_records(path)
    gone = [n for n in dict.fromkeys(names) if n in records]
    if gone:
        save_records(path, {k: v for k, v in records.items() if k not in gone})
    return len(gone)
