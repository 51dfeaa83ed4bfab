"""OpenAPI, docs and the health check."""

from rq import SimpleWorker

from dispatch import jobs


def test_openapi_document_lists_the_loop(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/v1/requests",
        "/api/v1/requests/{request_id}/visits",
        "/mobile/v1/visits/today",
        "/mobile/v1/visits/{visit_id}/complete",
    ):
        assert path in spec["paths"]


def test_docs_page_is_served(client):
    page = client.get("/docs")
    assert page.status_code == 200 and b"swagger" in page.data.lower()


def test_health_reports_database_redis_and_worker(client, config):
    degraded = client.get("/health")
    assert degraded.status_code == 503
    body = degraded.get_json()
    assert body["database"]["ok"] and body["redis"]["ok"] and not body["worker"]["ok"]
    worker = SimpleWorker([jobs.queue_for(config)], connection=jobs.redis_connection(config))
    worker.register_birth()
    try:
        healthy = client.get("/health")
        assert healthy.status_code == 200 and healthy.get_json()["status"] == "ok"
    finally:
        worker.register_death()
