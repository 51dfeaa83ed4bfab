"""WSGI entry: gunicorn wsgi:app."""

from dispatch.app import create_app

app = create_app()
