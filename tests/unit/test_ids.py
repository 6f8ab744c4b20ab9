"""Time-ordered ids."""

from __future__ import annotations

from service.ids import uuid7


def test_uuid7_is_version_7_and_increases() -> None:
    ids = [uuid7() for _ in range(10_000)]
    assert all(i.version == 7 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
