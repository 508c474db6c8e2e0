import pytest
import requests

from backend.test_common.servers import free_port, gunicorn_server


def test_health_is_ok_after_a_database_round_trip(anon):
    response = anon.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.slow
def test_health_is_503_when_the_database_cannot_be_reached(db):
    # Nothing listens on this port, so every connection attempt is refused.
    unreachable = f"postgres://postgres@127.0.0.1:{free_port()}/gone"
    with gunicorn_server(env={"DATABASE_URL": unreachable}) as url:
        response = requests.get(f"{url}/api/health/", timeout=10)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
