"""Blind-index search of encrypted customers (PRV-10).

The database never sees a name, phone or address in clear. Each customer has a set of terms,
keyed hashes (HMAC-SHA256, `crypto.blind`) of:

- ``phone``: the whole E.164 number (the exact lookup at intake, `Customer.phone_index`);
- ``pp``: every prefix of the national number of 3 or more digits ("138", "1380", ...);
- ``n``: the characters and character bigrams of the name (casefolded, no spaces);
- ``a``: the character bigrams of every site address (casefolded, no spaces or punctuation).

A query is cut into the same pieces; a customer matches when it holds every piece (the terms are
matched in SQL: ``GROUP BY customer_id HAVING COUNT(DISTINCT term) = n``). Bigrams can match a
text that holds the pieces in another order; that is the price of not storing text, and staff
see the decrypted results to choose from.
"""

from __future__ import annotations

import phonenumbers

from dispatch.privacy import crypto


def phone_index(e164: str, ring: crypto.KeyRing | None = None) -> str:
    """Return the keyed hash an E.164 number is found by."""
    return crypto.blind("phone", e164, ring)


def _national(e164: str) -> str:
    try:
        return str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in e164 if ch.isdigit())


def customer_terms(
    name: str, phone: str, addresses: list[str], ring: crypto.KeyRing | None = None
) -> set[str]:
    """Return every blind-index term of one customer."""
    ring = ring or crypto.keyring()
    terms = {crypto.blind("pp", p, ring) for p in crypto.phone_prefixes(_national(phone))}
    terms |= {crypto.blind("n", g, ring) for g in crypto.text_grams(name, unigrams=True)}
    for address in addresses:
        terms |= {crypto.blind("a", g, ring) for g in crypto.text_grams(address, unigrams=False)}
    return terms


def phone_prefix_terms(raw: str) -> set[str] | None:
    """Terms of a phone-number prefix query, or None when it is too short to search by.

    Digits are a prefix of the national number; a leading "+" starts with the country code.
    """
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.strip().startswith("+"):
        for length in (1, 2, 3):  # strip the country calling code
            if phonenumbers.region_code_for_country_code(int(digits[:length] or 0)) != "ZZ":
                digits = digits[length:]
                break
    if len(digits) < crypto.MIN_PHONE_PREFIX:
        return None
    return {crypto.blind("pp", digits)}


def name_terms(text: str) -> set[str]:
    grams = crypto.text_grams(text, unigrams=False) or crypto.text_grams(text, unigrams=True)
    return {crypto.blind("n", g) for g in grams}


def address_terms(text: str) -> set[str] | None:
    grams = crypto.text_grams(text, unigrams=False)
    return {crypto.blind("a", g) for g in grams} or None
