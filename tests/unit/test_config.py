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
