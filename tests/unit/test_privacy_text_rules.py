"""PRV-9: the pure rules that scrub an erased customer's data out of free text."""

from __future__ import annotations

from dispatch.privacy.rules import ANONYMISED_NAME, phone_forms, scrub_json, scrub_text


def test_prv_9_a_phone_is_found_in_every_way_people_write_it():
    forms = phone_forms("+8613800138000")
    assert {"+8613800138000", "8613800138000", "13800138000", "138 0013 8000"} <= forms
    assert {"138-0013-8000", "+86 138 0013 8000"} <= forms


def test_prv_9_scrub_replaces_the_pieces_and_keeps_the_other_words():
    needles = {"王小明", "上海市徐汇区测试路100号", *phone_forms("+8613800138000")}
    text = "王小明 (138 0013 8000) at 上海市徐汇区测试路100号 says the drum is loud"
    assert scrub_text(text, needles) == (
        f"{ANONYMISED_NAME} ({ANONYMISED_NAME}) at {ANONYMISED_NAME} says the drum is loud"
    )
    assert scrub_text(None, needles) is None and scrub_text("", needles) == ""


def test_prv_9_scrub_ignores_one_character_pieces_and_walks_json():
    assert scrub_text("王 said yes", {"王"}) == "王 said yes"  # would erase ordinary words
    value = [{"name": "Quokkaberg", "role": "witness"}, "call 13987651234", 3]
    assert scrub_json(value, {"Quokkaberg", "13987651234"}) == [
        {"name": ANONYMISED_NAME, "role": "witness"},
        f"call {ANONYMISED_NAME}",
        3,
    ]
