import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command


def test_schema_is_openapi_json(anon):
    response = anon.get("/api/schema/")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Interview Questions API"
    assert "/api/health/" in schema["paths"]


def test_schema_validates_without_warnings(tmp_path):
    # --fail-on-warn turns every warning into exit status 1 (SystemExit).
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


def test_docs_page_loads_assets_from_this_server_only(anon, base_url):
    response = anon.get("/api/docs/")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', response.text)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    assert any(asset.endswith("swagger-ui.css") for asset in assets)
    for asset in assets:
        url = urljoin(base_url + "/api/docs/", asset)
        assert urlparse(url).netloc == urlparse(base_url).netloc, f"{asset} is not local"
        assert anon.get(url).status_code == 200, f"{asset} is not served"


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/health/"])
def test_public_pages_create_no_session(anon, path):
    response = anon.get(path)

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
