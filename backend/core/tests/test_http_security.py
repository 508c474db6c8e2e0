import pytest

SPA_ORIGIN = "http://localhost:5173"


@pytest.fixture(autouse=True)
def spa_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [SPA_ORIGIN]


def preflight(client, origin):
    return client.options(
        "/api/health/",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-csrftoken",
        },
    )


def test_cors_preflight_from_the_spa_allows_credentials_and_csrf_header(anon):
    response = preflight(anon, SPA_ORIGIN)

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == SPA_ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "x-csrftoken" in allowed and "content-type" in allowed


@pytest.mark.parametrize("origin", ["http://evil.example", "http://localhost:5174"])
def test_cors_ignores_other_origins(anon, origin):
    for response in (preflight(anon, origin), anon.get("/api/health/", headers={"Origin": origin})):
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers


def test_security_headers_are_present(anon):
    response = anon.get("/api/health/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_hsts_is_sent_behind_a_tls_proxy(anon):
    response = anon.get("/api/health/", headers={"X-Forwarded-Proto": "https"})

    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("method", ["post", "put"])
def test_body_over_one_mebibyte_is_refused_with_json(anon, method):
    body = b"x" * (1024 * 1024 + 1)
    response = getattr(anon, method)(
        "/api/health/", data=body, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large; the limit is 1048576 bytes."}
