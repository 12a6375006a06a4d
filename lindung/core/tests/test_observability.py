"""Request ids, JSON log lines and the Prometheus metrics behind a token (issue 21)."""

from __future__ import annotations

import json
import logging

import pytest

from lindung.core.observability import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_request_id_and_keeps_the_proxys(client):
    assert len(client.get("/masuk/")["X-Request-ID"]) == 32
    assert client.get("/masuk/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"


def test_log_lines_are_json_with_the_request_and_user_ids(login, siak_operator, caplog):
    """A line logged while a request runs carries its id and the user's id."""
    captured: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(JsonFormatter().format(record))

    handler = Collect()
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = login(siak_operator).get("/tidak-ada-halaman/?nik=1408011705900001")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    line = json.loads(captured[-1])
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == siak_operator.pk
    assert line["level"] == "WARNING"
    assert "1408011705900001" not in captured[-1]  # the query string is never logged


def test_metrics_need_the_token(client, settings):
    assert client.get("/metrics").status_code == 404  # no token set: no endpoint
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    client.get("/masuk/")
    text = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").content.decode()
    assert 'lindung_http_requests_total{pid="' in text
    assert "lindung_jobs_waiting 0" in text
    assert "lindung_worker_silence_seconds -1" in text


def test_errors_sent_to_the_tracker_carry_no_personal_data():
    from lindung.core.observability import scrub

    event = {
        "request": {
            "method": "POST",
            "url": "https://lindung.example.go.id/peserta/?q=Budi Santoso",
            "data": {"nik": "1408011705900001"},
            "cookies": {"sessionid": "x"},
            "headers": {"Cookie": "sessionid=x"},
        },
        "user": {"id": 7, "username": "siak", "email": "siak@example.go.id"},
    }
    cleaned = scrub(event, {})
    assert cleaned["request"] == {"method": "POST", "url": "https://lindung.example.go.id/peserta/"}
    assert cleaned["user"] == {"id": 7}
    assert "1408011705900001" not in str(cleaned)
