"""flask CLI: users and demo data."""

from sqlalchemy import func, select

from dispatch.models import Customer, ServiceRequest, Technician, User, Visit


def test_demo_data_loads_once_with_a_city_of_technicians_and_customers(
    app, session, sms, run_worker
):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "'created': True" in first.output
    assert "'created': False" in runner.invoke(args=["demo"]).output
    count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert (count(Technician), count(Customer), count(ServiceRequest)) == (10, 50, 50)
    assert count(Visit) >= 10
    run_worker()
    confirm_requests = [m for m in sms.sent if "Please confirm" in m.body or "请点击确认" in m.body]
    assert len(confirm_requests) == count(Visit)  # each booking asked its customer to confirm
    assert len(sms.sent) == count(Visit) + 50  # and each request was acknowledged


def test_create_user_command(app, session):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "--username",
            "ops",
            "--password",
            "pw-123456789",
            "--full-name",
            "Ops",
            "--role",
            "manager",
        ]
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User).where(User.username == "ops")).one()
    assert user.role == "manager" and user.password_hash != "pw-123456789"
