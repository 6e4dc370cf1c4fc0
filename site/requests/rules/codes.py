"""Request numbers and query codes as people copy them from paper and type them back.

The query code has 140 random bits in Crockford's base 32 (digits and letters without I, L,
O and U), shown in seven groups of four: ``7K3M-Q9XD-…``. Typing it back is forgiving: case,
spaces and hyphens do not matter, O reads as 0 and I or L as 1. Codes issued before this
alphabet (RFC 4648 base 32, with those letters) still match through :func:`legacy_form`.

A request number is ``YSQ-2026-000123``; ``ysq2026000123`` or ``YSQ-2026-123`` find it too.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 28  # 28 × 5 = 140 bits, at least 128 as required
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NUMBER = re.compile(r"^([A-Z]+)(\d{4})(\d{1,9})$")


def new_code() -> str:
    """A fresh query code, grouped for reading aloud and copying."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def canonical_code(typed: str) -> str:
    """The code as stored (hashed): upper case, separators gone, O→0, I/L→1."""
    return "".join(char for char in typed.upper() if char.isalnum()).translate(_READ_AS)


def legacy_form(typed: str) -> str:
    """The form of codes issued before the forgiving alphabet: letters and digits only."""
    return "".join(char for char in typed.upper() if char.isalnum())


def canonical_number(typed: str, prefix: str = "YSQ") -> str:
    """``YSQ-2026-000123`` from what a person typed (hyphens, spaces, case, zeros optional);
    what cannot be a number is returned upper-cased as typed, to find nothing."""
    compact = re.sub(r"[\s\-－—_]", "", typed.upper())
    match = _NUMBER.match(compact)
    if match is None:
        return typed.strip().upper()
    letters, year, serial = match.groups()
    return f"{letters}-{year}-{int(serial):06d}"
