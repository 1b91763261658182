"""Small JSON files in the user's data directory, written so that nothing is ever half-saved.

Both ``dlnotes quiz`` (``progress.json``) and ``dlnotes drill`` (``drills.json``) keep their state here:

- :func:`data_dir`: ``$DLNOTES_DATA_DIR``, else ``platformdirs.user_data_path("dlnotes")``;
- :func:`write_json`: a temporary file in the same folder, flushed and synced, then ``os.replace`` (a crash
  leaves the old file or the new one, never a mix);
- :func:`read_json`: the parsed file, ``None`` when there is none, :class:`ProgressError` when it cannot be
  read as JSON;
- :func:`backup_corrupt`: move an unreadable file aside to ``<name>.corrupt-<timestamp>`` so that the caller
  can start afresh without destroying what was there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import tempfile

__all__ = ["DATA_ENV_VAR", "ProgressError", "backup_corrupt", "data_dir", "read_json", "write_json"]

#: Environment variable naming the folder of the progress files (instead of the user's data directory).
DATA_ENV_VAR = "DLNOTES_DATA_DIR"


class ProgressError(ValueError):
    """A progress file exists but cannot be read as dlnotes progress."""


def data_dir() -> pathlib.Path:
    """The progress files' folder: ``$DLNOTES_DATA_DIR`` or ``platformdirs.user_data_path("dlnotes")``."""
    override = os.environ.get(DATA_ENV_VAR)
    if override:
        return pathlib.Path(override).expanduser()
    try:
        import platformdirs
    except ImportError as err:
        raise RuntimeError(
            f"finding the user's data directory needs platformdirs (pip install 'dlnotes[drill]'), "
            f"or set {DATA_ENV_VAR}"
        ) from err
    return platformdirs.user_data_path("dlnotes")


def read_json(path: str | os.PathLike) -> object | None:
    """The JSON value in `path`, or ``None`` if the file does not exist.

    Raises
    ------
    ProgressError
        If the file exists but cannot be read or is not JSON.
    """
    path = pathlib.Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):  # no file (NotADirectory: a file stands for a folder)
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise ProgressError(f"cannot read the progress file {path}: {err}") from err
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:  # RecursionError: nested too deep
        raise ProgressError(f"the progress file {path} is not valid JSON ({err})") from err


def write_json(path: str | os.PathLike, data: object, *, what: str = "progress") -> None:
    """Write `data` as JSON to `path` atomically (a temporary file in the same folder, then ``os.replace``).

    Raises
    ------
    OSError
        If the folder cannot be created or written; the message names it, `what` was being saved and the
        way out (``DLNOTES_DATA_DIR``). The file already there is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_json(pathlib.Path(tmp, "sub", "x.json"), {"a": 1})
    ...     read_json(pathlib.Path(tmp, "sub", "x.json"))
    {'a': 1}
    """
    path = pathlib.Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json", dir=path.parent)
    except OSError as err:
        raise OSError(
            f"cannot save the {what} in {path.parent} ({err.strerror or err}); "
            f"set {DATA_ENV_VAR} to a writable folder"
        ) from err
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise


def backup_corrupt(path: str | os.PathLike) -> pathlib.Path:
    """Move an unreadable progress file aside to ``<name>.corrupt-<timestamp>`` and return the new path."""
    path = pathlib.Path(path)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    backup = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while backup.exists():
        counter += 1
        backup = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        os.replace(path, backup)
    except OSError as err:
        raise OSError(
            f"cannot move the unreadable progress file {path} aside to {backup.name} "
            f"({err.strerror or err}); move or delete it, or set {DATA_ENV_VAR} to another folder"
        ) from err
    return backup
