"""Root conftest: pytest-django sets Django up (see pyproject.toml); this adds shared fixtures."""

pytest_plugins = ["backend.test_common.fixtures"]
