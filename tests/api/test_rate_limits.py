"""Customer link pages and logins are rate limited per client address (Redis-backed)."""

from dispatch.app import create_app


def test_link_pages_answer_429_after_the_limit(config):
    app = create_app(config.with_overrides(link_rate_limit="3/minute"))
    client = app.test_client()
    codes = [client.get("/l/not-a-token").status_code for _ in range(4)]
    assert codes == [403, 403, 403, 429]
    assert "wait a minute" in client.get("/l/not-a-token?lang=en").get_data(as_text=True)


def test_login_answers_429_in_the_error_shape_after_the_limit(config):
    app = create_app(config.with_overrides(login_rate_limit="2/minute"))
    client = app.test_client()
    body = {"username": "nobody", "password": "wrong"}
    codes = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    error = client.post("/api/v1/auth/login", json=body).get_json()
    assert error["error_code"] == "rate_limited" and error["code"] == 429
