"""The configuration fails fast on bad values."""

import stat

import pytest

from dispatch.config import MIN_KEY_LENGTH, Config, ConfigError, load_config, running_dev_server
from dispatch.secret_key import ensure_secret_key


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


STRONG_KEY = "k" * 20 + "0123456789abcdef"


@pytest.mark.parametrize(
    "env",
    [
        {"ENV": "production", "SECRET_KEY": "x"},
        {"ENV": "production", "SECRET_KEY": "short-but-not-default"},
        {"ENV": "staging"},
        {"ACCESS_TOKEN_MINUTES": "0"},
        {"ACCESS_TOKEN_MINUTES": "-5"},
        {"STAFF_REFRESH_HOURS": "0"},
        {"LOGIN_LOCKOUT_FAILURES": "0"},
        {"MAX_REQUEST_BYTES": "10"},
        {"JSON_MAX_DEPTH": "0"},
    ],
)
def test_unsafe_auth_settings_are_refused_at_start_up(env):
    with pytest.raises(ConfigError):
        load_config(env)


def test_production_accepts_a_long_random_key():
    assert load_config({"ENV": "production", "SECRET_KEY": STRONG_KEY}).has_strong_key


def test_the_built_in_key_serves_only_under_the_development_server_or_tests():
    from dispatch.app import create_app

    default = load_config({})
    assert not default.has_strong_key
    default.require_serving_key(dev_server=True)  # `flask run` on a developer's machine
    default.with_overrides(testing=True).require_serving_key(dev_server=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        default.require_serving_key(dev_server=False)  # gunicorn wsgi:app
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(default)  # not under `flask`: refused before anything is served
    load_config({"SECRET_KEY": STRONG_KEY}).require_serving_key(dev_server=False)


def test_only_the_flask_command_counts_as_the_development_server():
    assert running_dev_server({"FLASK_RUN_FROM_CLI": "true"})
    assert not running_dev_server({})


def test_bin_run_key_is_random_made_once_and_private(tmp_path):
    path = tmp_path / "instance" / "secret_key"
    key = ensure_secret_key(path)
    assert len(key) >= MIN_KEY_LENGTH and key != Config.secret_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secret_key(path) == key  # kept, not replaced
    assert ensure_secret_key(tmp_path / "other") != key


def test_rte_16_planner_threads_seed_and_budget_come_from_the_environment():
    config = load_config({"PLAN_THREADS": "2", "PLAN_SEED": "42", "PLAN_TIME_LIMIT_SECONDS": "7.5"})
    assert (config.plan_threads, config.plan_seed, config.plan_time_limit_seconds) == (2, 42, 7.5)
    for bad in ({"PLAN_THREADS": "0"}, {"PLAN_TIME_LIMIT_SECONDS": "0"}):
        with pytest.raises(ConfigError):
            load_config(bad)
