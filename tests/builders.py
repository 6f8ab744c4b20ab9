"""Builders of explicit test data."""

from __future__ import annotations

from typing import Any

OMIT: Any = object()


def record(**overrides: Any) -> dict[str, Any]:
    """A valid create body; keyword arguments replace fields (OMIT removes one)."""
    body: dict[str, Any] = {
        "buyer": "Belgium",
        "seller": "Poland",
        "manufacturer": "Mesko",
        "system": "Piorun",
        "category": "air-defence",
        "quantity_min": 200,
        "quantity_max": 300,
        "quantity_unit": "systems",
        "status": "intent",
        "sources": [
            {
                "url": "https://example.org/news/piorun",
                "title": "Belgium signs letter of intent for Piorun",
                "published_on": "2025-06-02",
                "excerpt": "Belgium is set to purchase between 200 and 300 Piorun systems.",
            }
        ],
    }
    for key, value in overrides.items():
        if value is OMIT:
            body.pop(key, None)
        else:
            body[key] = value
    return body
