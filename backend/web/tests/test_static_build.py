"""What production serves: after collectstatic, the shell and every module name
hashed files only, so that WhiteNoise can cache them all for a year and a
release never mixes old and new modules."""

import json
import posixpath
import re

from django.core.management import call_command
from django.test import Client

STATIC_URL = re.compile(r'(?:href|src)="/static/([^"]+)"')
RELATIVE_IMPORT = re.compile(r'(?:import|from)\s*"(\.{1,2}/[^"]+)"')


def test_collected_modules_and_the_shell_use_hashed_names_only(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "backend.web.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = set(paths.values())

    modules = [name for name in paths if name.startswith("web/") and name.endswith(".js")]
    assert "web/screens/questions.js" in modules
    for name in modules:
        source = (tmp_path / paths[name]).read_text()
        imports = RELATIVE_IMPORT.findall(source)
        resolved = {posixpath.normpath(posixpath.join(posixpath.dirname(name), i)) for i in imports}
        assert resolved <= hashed, f"{name} imports unhashed {sorted(resolved - hashed)}"

    shell = Client().get("/questions").content.decode()
    referenced = set(STATIC_URL.findall(shell))
    assert paths["web/main.js"] in referenced
    assert {paths[name] for name in modules} <= referenced  # every module is preloaded
    assert referenced <= hashed
