"""The configuration fails fast on bad values."""

import pytest

from dispatch.config import ConfigError, load_config


def test_defaults_need_no_environment():
    config = load_config({})
    assert config.effective_database_url.startswith("sqlite:///")
    assert config.followup_delay_minutes == 120


def test_values_are_converted_from_text():
    config = load_config(
        {"FOLLOWUP_DELAY_MINUTES": "30", "CONTACT_WINDOW_START": "09:00", "TESTING": "true"}
    )
    assert config.followup_delay_minutes == 30
    assert config.contact_window_start.hour == 9 and config.testing is True


@pytest.mark.parametrize(
    "env",
    [
        {"FOLLOWUP_DELAY_MINUTES": "soon"},
        {"DEFAULT_TIMEZONE": "Mars/Olympus"},
        {"CONTACT_WINDOW_START": "18:00"},
        {"SMS_GATEWAY": "pigeon"},
        {"SMS_GATEWAY": "twilio"},
        {"ENV": "production"},
        {"TESTING": "maybe"},
    ],
)
def test_bad_values_stop_start_up(env):
    with pytest.raises(ConfigError):
        load_config(env)


def test_links_follow_the_served_port_when_public_base_url_is_unset():
    assert load_config({"PORT": "5301"}).public_base_url == "http://127.0.0.1:5301"
    assert load_config({"HOST": "0.0.0.0", "PORT": "8080"}).public_base_url == (
        "http://127.0.0.1:8080"
    )
    assert load_config({}).public_base_url == "http://127.0.0.1:5000"


def test_an_explicit_public_base_url_wins_over_the_port():
    config = load_config({"PORT": "5301", "PUBLIC_BASE_URL": "https://service.example"})
    assert config.public_base_url == "https://service.example"


def test_a_port_that_is_not_a_number_stops_start_up():
    with pytest.raises(ConfigError):
        load_config({"PORT": "fifty"})
