"""The permission layer's pure rules (dispatch/access.py), without a database (ROL-2, PRV-4)."""

from types import SimpleNamespace

import pytest

from dispatch import access
from dispatch.actors import SYSTEM, Actor, customer_actor
from dispatch.errors import NotFound
from dispatch.users.rules import ALL_REGION_ROLES, Role

DISPATCHER = Actor(kind="user", id=1, role="dispatcher", region_ids=(1,))


def _customer(*region_ids, customer_id=5):
    sites = [SimpleNamespace(region_id=r) for r in region_ids]
    return SimpleNamespace(id=customer_id, sites=sites)


def test_head_office_and_system_see_every_region_others_their_own_ROL_2():
    for role in ALL_REGION_ROLES:
        assert access.visible_region_ids(Actor(kind="user", role=role)) is None
    assert access.visible_region_ids(SYSTEM) is None
    assert access.visible_region_ids(DISPATCHER) == (1,)
    nobody = Actor(kind="user", role=Role.DISPATCHER)  # serves no region: sees none
    assert not access.may_see_region(nobody, 1) and not access.may_see_region(nobody, None)


def test_customer_lies_in_the_regions_of_their_placed_sites_PRV_4():
    access.ensure_customer(DISPATCHER, _customer(1, 2))
    access.ensure_customer(DISPATCHER, _customer())  # still at the front desk
    access.ensure_customer(DISPATCHER, _customer(None))  # site outside every region
    with pytest.raises(NotFound):
        access.ensure_customer(DISPATCHER, _customer(2))


def test_customer_through_a_link_sees_only_their_own_file():
    me = customer_actor(5)
    access.ensure_customer(me, _customer(2, customer_id=5))
    with pytest.raises(NotFound):
        access.ensure_customer(me, _customer(2, customer_id=6))
    request = SimpleNamespace(id=9, customer_id=6, site=None)
    with pytest.raises(NotFound):
        access.ensure_request(me, request)


def test_technician_sees_only_visits_assigned_to_them_as_404_otherwise_PRV_4():
    tech = Actor(kind="user", id=3, role="technician", technician_id=8, region_ids=(1,))
    mine = SimpleNamespace(id=1, technician_id=8)
    access.ensure_visit(tech, mine)
    with pytest.raises(NotFound):
        access.ensure_visit(tech, SimpleNamespace(id=2, technician_id=9))
