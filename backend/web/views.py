"""The web app's one view: the shell page that loads the ES modules.

Every screen is drawn in the browser from the public API; the server only
answers the shell at each of the app's routes, so that a deep link or a reload
works. A path the app does not know gets the same shell with a 404 status,
and the app shows its own "not found" screen.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

STATIC = Path(__file__).resolve().parent / "static"


@cache
def modules() -> list[str]:
    """Every module of the app, preloaded by the shell: the browser fetches them
    all at once instead of discovering them import by import."""
    return sorted(str(path.relative_to(STATIC)) for path in (STATIC / "web").rglob("*.js"))


@require_safe
def shell(request, status=200, **route):
    context = {"api_base": settings.WEB_API_BASE, "modules": modules()}
    return render(request, "web/index.html", context, status=status)
