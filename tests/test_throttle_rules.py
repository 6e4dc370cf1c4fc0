"""The anti-robot rule every public form uses (request, comment, complaint)."""

from __future__ import annotations

from opengov.site.throttle.rules import looks_automated


def test_a_person_who_took_their_time_passes() -> None:
    assert not looks_automated(honeypot="", started_at=100.0, now=110.0, minimum_seconds=5)


def test_too_fast_a_filled_honeypot_or_no_valid_start_is_a_robot() -> None:
    assert looks_automated(honeypot="", started_at=100.0, now=103.0, minimum_seconds=5)
    assert looks_automated(honeypot="http://spam.example", started_at=100.0, now=500.0,
                           minimum_seconds=5)
    assert looks_automated(honeypot="", started_at=None, now=500.0, minimum_seconds=5)
    assert not looks_automated(honeypot="  ", started_at=100.0, now=105.0, minimum_seconds=5)
