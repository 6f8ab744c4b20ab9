"""The seeds: the founding article in our words and the record it yields."""

from __future__ import annotations

import json

from service.cli import seed_records
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"


def test_seed_records_pass_the_api_validation() -> None:
    records = seed_records(SEEDS)
    assert len(records) == 1
    piorun = records[0]
    assert (piorun["buyer"], piorun["seller"], piorun["system"]) == ("Belgium", "Poland", "Piorun")
    assert (piorun["quantity_min"], piorun["quantity_max"]) == (200, 300)
    assert piorun["status"].value == "intent"
    assert piorun["category"].value == "air-defence"
    assert piorun["manufacturer"] == "Mesko"


def test_every_seed_excerpt_is_a_sentence_of_its_article() -> None:
    articles = {
        json.loads(p.read_text(encoding="utf-8"))["title"]: p.with_suffix(".txt")
        for p in (SEEDS / "articles").glob("*.json")
    }
    raw = json.loads((SEEDS / "records.json").read_text(encoding="utf-8"))
    for item in raw["records"]:
        for source in item["sources"]:
            text = articles[source["title"]].read_text(encoding="utf-8")
            assert source["excerpt"] in text


def test_no_record_for_the_training_cooperation() -> None:
    systems = {r["system"] for r in seed_records(SEEDS)}
    assert "F-35A" not in systems
