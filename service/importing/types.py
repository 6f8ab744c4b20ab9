"""What the readers produce."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ImportFileError(ValueError):
    """The file as a whole cannot be read (unknown header, encoding, empty)."""


@dataclass
class Row:
    """One record a file proposes: `data` in the API's input shape, or `errors`.

    `line` is the first physical line of the row (1-based); `raw` the text read.
    """

    line: int
    raw: str
    data: dict[str, Any] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def reject(self, field_name: str, message: str) -> Row:
        self.errors.setdefault(field_name, []).append(message)
        self.data = None
        return self
