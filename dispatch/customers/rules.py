"""Pure rules for customer data: phone numbers and masking."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    """The text is not a valid phone number."""


def normalise_phone(raw: str, default_region: str = "CN") -> str:
    """Return the number in E.164, or raise InvalidPhone."""
    try:
        number = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(str(exc)) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(f"{raw!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """Show only the last four digits and the first three of the national number."""
    number = phonenumbers.parse(e164, None)
    national = str(number.national_number)
    if len(national) <= 7:
        return "*" * (len(national) - 2) + national[-2:]
    return national[:3] + "*" * (len(national) - 7) + national[-4:]


def mask_name(name: str) -> str:
    """Keep the first character of a name (family name in Chinese) and mask the rest."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask_address(address: str) -> str:
    """Keep the district-level start of an address and hide the rest."""
    keep = max(4, len(address) // 3)
    return address[:keep] + "…"
