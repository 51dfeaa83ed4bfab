"""Migrations build the schema, and they match the models exactly."""

from dispatch import schema


def test_models_and_migrations_do_not_differ(app):
    assert schema.differences() == []


def test_numbers_are_unique_in_the_database(app):
    from dispatch.models import ServiceRequest, ServiceVoucher, Visit

    for model in (ServiceRequest, Visit, ServiceVoucher):
        assert model.__table__.c.number.unique
