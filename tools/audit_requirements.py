"""pip-audit over requirements.txt, completed from PyPI's project JSON where needed.

pip-audit's PyPI service asks ``/pypi/<name>/<version>/json`` for each pin. Some
networks (this project's CI among them) pass only ``/pypi/<name>/json``: pip-audit
then skips every package ("Dependency not found on PyPI") and would pass having
audited nothing. For each package pip-audit skipped, this reads the project JSON
instead. Its ``vulnerabilities`` are PyPI's advisories for the project's latest
release, so they audit a pin that is the latest release exactly; a pin behind the
latest release cannot be audited that way and is listed (``make requirements``
moves pins to the latest releases). See docs/security.md, "Audits".

Exit status 1 when a known vulnerability affects a pin, or PyPI cannot be read.
"""

import argparse
import json
import re
import subprocess  # nosec B404 # runs pip-audit from this virtualenv
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

PROJECT_JSON = "https://pypi.org/pypi/{name}/json"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_audit(requirements: Path, ignored: list[str]) -> list[dict]:
    """pip-audit's verdict per pinned dependency: name, version, vulns, skip_reason."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "pip-audit.json"
        command = [
            str(Path(sys.executable).with_name("pip-audit")),
            *("--requirement", str(requirements), "--require-hashes", "--disable-pip"),
            *("--vulnerability-service", "pypi", "--progress-spinner", "off"),
            *("--format", "json", "--output", str(report)),
            *(arg for vuln in ignored for arg in ("--ignore-vuln", vuln)),
        ]
        result = subprocess.run(command, capture_output=True, text=True)  # nosec B603
        if not report.exists():  # pip-audit itself failed, not the audit
            sys.stderr.write(result.stderr)
            raise SystemExit(result.returncode or 1)
        return json.loads(report.read_text())["dependencies"]


def project_vulnerabilities(name: str, version: str, ignored: set[str]) -> tuple[str, list]:
    """("latest", vulns) for a pin that is the latest release, else ("behind", [])."""
    response = requests.get(PROJECT_JSON.format(name=canonical(name)), timeout=30)
    response.raise_for_status()
    project = response.json()
    if project["info"]["version"] != version:
        return "behind", []
    vulns = [
        vuln
        for vuln in project.get("vulnerabilities") or []
        if not vuln.get("withdrawn") and not ignored & {vuln["id"], *vuln.get("aliases", [])}
    ]
    return "latest", vulns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", type=Path, nargs="?", default=Path("requirements.txt"))
    parser.add_argument(
        "--ignore-vuln", action="append", default=[], metavar="ID", help="documented only"
    )
    args = parser.parse_args()

    dependencies = pip_audit(args.requirements, args.ignore_vuln)
    found = [(dep["name"], dep["version"], v) for dep in dependencies for v in dep.get("vulns", [])]
    # A skipped dependency comes without its version: read it from the pins.
    pins = {
        canonical(name): version for name, version in PIN.findall(args.requirements.read_text())
    }
    skipped = [
        {**dep, "version": pins[canonical(dep["name"])]}
        for dep in dependencies
        if "skip_reason" in dep
    ]
    behind = []
    if skipped:
        ignored = set(args.ignore_vuln)
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(
                    pool.map(
                        lambda dep: project_vulnerabilities(dep["name"], dep["version"], ignored),
                        skipped,
                    )
                )
        except requests.RequestException as error:
            print(f"Cannot read PyPI's project JSON, so nothing was audited: {error}")
            return 1
        for dep, (state, vulns) in zip(skipped, answers):
            if state == "behind":
                behind.append(f"{dep['name']}=={dep['version']}")
            found += [(dep["name"], dep["version"], vuln) for vuln in vulns]

    print(
        f"{len(dependencies)} pinned packages: {len(dependencies) - len(skipped)} audited by "
        f"pip-audit, {len(skipped) - len(behind)} from PyPI's project JSON "
        f"(pip-audit could not read their release JSON)."
    )
    if behind:
        print(f"Not audited, older than their latest release: {', '.join(behind)}")
    for name, version, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or vuln.get("fixed_in") or []) or "none yet"
        ids = ", ".join([vuln["id"], *(vuln.get("aliases") or [])])
        print(f"VULNERABLE {name}=={version}: {ids}; fixed in {fixes}")
    if found:
        print("Upgrade the pin, or document the finding in docs/security.md and ignore its id.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
