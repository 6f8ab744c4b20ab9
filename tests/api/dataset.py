"""A small set of deals with known answers, shared by the query, export and stats tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.api.helpers import create
from tests.builders import record

# system, buyer, seller, category, status, quantity_min, quantity_max, announced_on, maker
ROWS: list[tuple[Any, ...]] = [
    ("Piorun", "Belgium", "Poland", "air-defence", "intent", 200, 300, "2025-06-02", "Mesko"),
    ("K9 Thunder", "Estonia", "South Korea", "artillery", "contracted", 12, 12, "2024-05-07", None),
    ("HIMARS", "Estonia", "United States", "artillery", "delivered", 6, 6, "2022-12-02", None),
    ("Leopard 2A8", "Lithuania", "Germany", "armoured-vehicle", "contracted", 44, 44, None, "KNDS"),
    ("Rafale", "Serbia", "France", "aircraft", "contracted", 12, 12, "2024-08-29", "Dassault"),
    ("F-35A", "Romania", "United States", "aircraft", "approved", None, 32, "2024-09-13", None),
    ("Patriot", "Poland", "United States", "air-defence", "contracted", 48, None, "2023-09-01", ""),
    ("Gripen", "Colombia", "Sweden", "aircraft", "announced", None, None, "2025-04-02", "Saab"),
    ("CV90", "Netherlands", "Sweden", "armoured-vehicle", "announced", None, None, None, "BAE"),
]
VALUES = {
    "Rafale": ("2700000000", "EUR"),
    "K9 Thunder": ("46000000", "EUR"),
    "F-35A": ("7200000000", "USD"),
    "HIMARS": ("200000000.50", "USD"),
}


def seed(client: FlaskClient) -> dict[str, str]:
    """The rows above as records; system -> id."""
    ids = {}
    for system, buyer, seller, category, status, low, high, announced, maker in ROWS:
        body = record(
            system=system,
            buyer=buyer,
            seller=seller,
            category=category,
            status=status,
            quantity_min=low,
            quantity_max=high,
            announced_on=announced,
            manufacturer=maker or None,
            value_amount=VALUES.get(system, (None, None))[0],
            value_currency=VALUES.get(system, (None, None))[1],
            quantity_unit=None,
            notes=f"{system} deal note 100%_sure" if system == "HIMARS" else None,
            sources=[
                {
                    "url": f"https://example.org/{system.lower().replace(' ', '-')}",
                    "title": f"{buyer} and the {system}",
                    "excerpt": "Background: a contract for coastal missiles."
                    if system == "Patriot"
                    else f"{buyer} moves on {system}.",
                }
            ],
        )
        ids[system] = create(client, body)["id"]
    return ids
