"""The dependency audit's verdict (tools/audit_requirements.py), against a fake PyPI.

`make audit` runs the real thing against PyPI; these pin down when it fails.
"""

import importlib.util
import sys
from pathlib import Path

import pytest
import requests

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "audit_requirements.py"
spec = importlib.util.spec_from_file_location("audit_requirements", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

PINS = "django==6.1.3 \\\n    --hash=sha256:00\nrequests==2.34.2 \\\n    --hash=sha256:00\n"
ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["6.1.4"],
    "withdrawn": None,
}


class FakeResponse:
    def __init__(self, body):
        self.body = body

    def raise_for_status(self):
        pass

    def json(self):
        return self.body


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """Run the audit with pip-audit skipping every pin and PyPI answering ``projects``."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(PINS)

    def go(projects, *args, pip_audit_vulns=None):
        def fake_pip_audit(path, ignored):
            if pip_audit_vulns is not None:
                return [
                    {"name": "django", "version": "6.1.3", "vulns": pip_audit_vulns},
                    {"name": "requests", "version": "2.34.2", "vulns": []},
                ]
            return [
                {"name": name, "skip_reason": "Dependency not found on PyPI"}
                for name in ("django", "requests")
            ]

        def fake_get(url, timeout):
            name = url.split("/")[-2]
            if isinstance(projects, Exception):
                raise projects
            return FakeResponse(projects[name])

        monkeypatch.setattr(audit, "pip_audit", fake_pip_audit)
        monkeypatch.setattr(audit.requests, "get", fake_get)
        monkeypatch.setattr(sys, "argv", ["audit_requirements.py", str(requirements), *args])
        status = audit.main()
        return status, capsys.readouterr().out

    return go


def project(version, *vulnerabilities):
    return {"info": {"version": version}, "vulnerabilities": list(vulnerabilities)}


def test_latest_pins_without_advisories_pass(run):
    status, out = run({"django": project("6.1.3"), "requests": project("2.34.2")})
    assert status == 0
    assert "2 from PyPI's project JSON" in out


def test_an_advisory_on_a_latest_pin_fails_naming_it(run):
    status, out = run({"django": project("6.1.3", ADVISORY), "requests": project("2.34.2")})
    assert status == 1
    assert "VULNERABLE django==6.1.3: PYSEC-2099-1, CVE-2099-0001; fixed in 6.1.4" in out


@pytest.mark.parametrize("ignored", ["PYSEC-2099-1", "CVE-2099-0001"])
def test_an_ignored_advisory_passes_by_id_or_alias(run, ignored):
    projects = {"django": project("6.1.3", ADVISORY), "requests": project("2.34.2")}
    status, _ = run(projects, "--ignore-vuln", ignored)
    assert status == 0


def test_a_withdrawn_advisory_passes(run):
    withdrawn = {**ADVISORY, "withdrawn": "2099-01-02T00:00:00Z"}
    status, _ = run({"django": project("6.1.3", withdrawn), "requests": project("2.34.2")})
    assert status == 0


def test_a_pin_behind_the_latest_release_is_listed_as_not_audited(run):
    # The project JSON's advisories are the latest release's; they say nothing of 6.1.3.
    status, out = run({"django": project("6.2", ADVISORY), "requests": project("2.34.2")})
    assert status == 0
    assert "Not audited, older than their latest release: django==6.1.3" in out


def test_pip_audits_own_findings_fail(run):
    vuln = {"id": "PYSEC-2099-1", "aliases": [], "fix_versions": ["6.1.4"]}
    status, out = run({}, pip_audit_vulns=[vuln])
    assert status == 1
    assert "VULNERABLE django==6.1.3: PYSEC-2099-1; fixed in 6.1.4" in out
    assert "2 audited by pip-audit" in out


def test_an_unreachable_pypi_fails(run):
    status, out = run(requests.ConnectionError("no route"))
    assert status == 1
    assert "nothing was audited" in out
