"""Errors in scenario files, each naming the file, the line and the field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ScenarioError(Exception):
    """A scenario that cannot be loaded; ``problems`` lists everything found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("a ScenarioError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self.problems[0]))

    @property
    def first(self) -> Problem:
        return self.problems[0]

    def one_line(self) -> str:
        """The first problem, with a count of the rest, for a single line on stderr."""
        more = len(self.problems) - 1
        return str(self.first) + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
