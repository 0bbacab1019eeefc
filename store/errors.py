"""Errors that name the file and the cause, for people rather than stack traces."""

from __future__ import annotations

import errno
from pathlib import Path

from store.paths import display_path


class SourceFileError(Exception):
    """A source file that cannot be read as what it claims to be."""

    def __init__(self, path: Path | str, cause: str, row: int | None = None) -> None:
        self.path = Path(path)
        self.cause = cause
        self.row = row
        where = display_path(self.path) + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {cause}")

    def __reduce__(self) -> tuple:
        # Subclasses take other arguments than their message: rebuild from the message and the attributes,
        # so an error can cross a process boundary or be kept in a cache.
        return (_restored_error, (type(self), self.args, self.__dict__))


def _restored_error(cls: type[SourceFileError], args: tuple, state: dict) -> SourceFileError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ReadEngineError(RuntimeError):
    """Where files are read cannot go on (a Dask cluster that stops answering, runs other versions, or has
    no workers): no file's fault, so the load stops and nothing is written. One line."""


class WarehouseFolderError(OSError):
    """A file of the warehouse's own folders that cannot be made or opened: a read-only folder, a full disk,
    a symbolic link planted where the refresh writes. One line: the path and the cause."""

    def __init__(self, path: Path | str, cause: str) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")

    @classmethod
    def of(cls, error: OSError, path: Path) -> WarehouseFolderError:
        """The error an operation on `path` (or a folder on its way) raised, said in one line."""
        if error.errno == errno.ELOOP:
            return cls(path, "is a symbolic link, which the refresh never writes through (remove it)")
        return cls(error.filename or path, error.strerror or str(error))


class OverBudgetError(SourceFileError):
    """A file over one of its budgets (store.budgets): refused before the costly part, and judged again on
    every refresh (a budget raised in the settings lets it through without a change to the file)."""

    kind = "budget"
