"""Procurement tracker: defence procurement deals over a REST API, on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]

if TYPE_CHECKING:
    from .app import create_app
else:

    def create_app(*args: Any, **kwargs: Any) -> Any:
        """Build the Flask app (imported lazily so `python -m service --help` stays fast)."""
        from .app import create_app as factory

        return factory(*args, **kwargs)
