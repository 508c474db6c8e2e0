import json
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate


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


def test_schema_passes_the_openapi_specification_validator(anon):
    schema = anon.get("/api/schema/").json()

    validate(schema)  # raises on the first violation, e.g. a default its own format rejects


def test_every_operation_and_component_is_described_for_its_consumer(anon):
    schema = anon.get("/api/schema/").json()

    undescribed = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if not operation.get("summary") or not operation.get("description")
    ]
    assert undescribed == []
    descriptions = {
        name: component.get("description", "")
        for name, component in schema["components"]["schemas"].items()
    }
    assert [name for name, text in descriptions.items() if not text] == []
    # Internal docstrings (how a serializer works) must not leak into the schema.
    assert [name for name, text in descriptions.items() if "shortcut" in text] == []


def test_every_error_answer_is_the_one_error_shape(anon):
    schema = anon.get("/api/schema/").json()

    shapes = {
        json.dumps(answer.get("content", {}).get("application/json", {}).get("schema"))
        for operations in schema["paths"].values()
        for operation in operations.values()
        for status, answer in operation["responses"].items()
        if status[0] in "45"
    }
    # Error, or Error with named extra fields: the conflicting job's id, a CSV file's bad rows.
    assert shapes <= {
        json.dumps({"$ref": "#/components/schemas/Error"}),
        json.dumps({"$ref": "#/components/schemas/ImportConflict"}),
        json.dumps({"$ref": "#/components/schemas/CsvImportRejected"}),
        json.dumps({"$ref": "#/components/schemas/Health"}),
    }
    assert schema["components"]["schemas"]["ImportConflict"]["properties"]["detail"] == {
        "type": "string"
    }


def test_path_ids_are_integers_and_lists_have_one_shape(anon):
    schema = anon.get("/api/schema/").json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] != "platform":
                    assert parameter["schema"] == {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 10**18 - 1,
                    }, (method, path)
            ok = operation["responses"].get("200", {}).get("content", {}).get("application/json")
            if not ok:
                continue
            if path.endswith("/page/"):
                assert ok["schema"]["$ref"].startswith("#/components/schemas/Paginated"), path
            elif method == "get" and ok["schema"].get("type") == "array":
                names = {p["name"] for p in operation.get("parameters", [])}
                assert not names & {"limit", "offset"} or path == "/api/review/", path
                assert f"{path}page/" in schema["paths"] or path.startswith("/api/review/"), path
