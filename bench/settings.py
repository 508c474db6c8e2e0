"""Settings for `make bench`: the production settings plus the baseline's routes."""

from backend.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"
