"""A Python client generated from the live /api/schema/ drives the whole API.

openapi-python-client writes a typed client into a temporary folder; the test
imports it and walks a user's life through it, the way a consumer of the schema
would: register, sign in with a session (cookies, and the CSRF token as
X-CSRFToken), every resource's create, read, update and delete, practice,
statistics, an import from a platform, API tokens, export and import of the
data, and deleting the account. Every answer must parse into the model the
schema promises for its status (``parsed`` is that model, not None). The
client is used as generated: the only glue is what a browser does on its own
(send cookies back, and the CSRF token on writes).
"""

import datetime
import importlib
import subprocess  # nosec B404
import sys
from pathlib import Path

import httpx
import pytest

from backend.core.tests.import_fakes import FakeCodewars, fast_import_settings
from backend.test_common.fixtures import PASSWORD

pytestmark = pytest.mark.slow

PACKAGE = "interview_questions_api_client"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def api(anon, tmp_path, monkeypatch):
    """The generated package, as a namespace: ``api.models``, ``api.call("tags.tags_list")``."""
    schema = anon.get("/api/schema/")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    # No post-generation hooks: they would run ruff, which the client does not need.
    (tmp_path / "config.yml").write_text("post_hooks: []\n")
    generated = subprocess.run(  # nosec B603
        [
            str(Path(sys.executable).with_name("openapi-python-client")),
            "generate",
            "--path",
            "schema.json",
            "--config",
            "config.yml",
            "--meta",
            "none",
            "--output-path",
            PACKAGE,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, generated.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]
    return GeneratedApi(importlib.import_module(PACKAGE))


class GeneratedApi:
    def __init__(self, package):
        self.package = package
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def call(self, name: str, client, expected_status: int, **kwargs):
        """Call ``api/<tag>/<operation>.sync_detailed`` and return the parsed answer."""
        module = importlib.import_module(f"{PACKAGE}.api.{name}")
        response = module.sync_detailed(client=client, **kwargs)
        assert response.status_code == expected_status, (name, response.content[:2000])
        return response.parsed


def session_client(api: GeneratedApi, base_url: str):
    """The generated Client with what a browser adds: cookies, and X-CSRFToken on writes."""
    client = api.package.Client(base_url=base_url, raise_on_unexpected_status=True)

    def send_csrf_token(request: httpx.Request):
        token = http.cookies.get("csrftoken")
        if request.method in UNSAFE_METHODS and token:
            request.headers["X-CSRFToken"] = token

    def keep_cookies_over_http(response: httpx.Response):
        # The live server is plain http while the app keeps its production
        # cookie flags; like a browser on https, send the cookies back.
        for cookie in http.cookies.jar:
            cookie.secure = False

    http = httpx.Client(
        base_url=base_url,
        event_hooks={"request": [send_csrf_token], "response": [keep_cookies_over_http]},
        timeout=30,
    )
    return client.set_httpx_client(http)


def assert_model(value, model_name: str, api: GeneratedApi):
    model = getattr(api.models, model_name)
    assert isinstance(value, model), f"{type(value).__name__} is not {model_name}: {value!r}"


def assert_models(values, model_name: str, api: GeneratedApi, count: int):
    assert isinstance(values, list) and len(values) == count, values
    for value in values:
        assert_model(value, model_name, api)


READ_ONLY = {
    "QuestionRequest": {"id", "slug", "tags", "created_at", "updated_at", "attempts_count"},
    "QuestionLogRequest": {"id", "title"},
    "TagRequest": {"id"},
    "ApiTokenCreateRequest": {"id", "created_at", "expires_at", "last_used_at", "token"},
}


@pytest.mark.parametrize("model_name, read_only", READ_ONLY.items())
def test_request_models_hold_only_what_a_client_may_send(api, model_name, read_only):
    fields = {field.name for field in getattr(api.models, model_name).__attrs_attrs__}

    assert fields & read_only == set()
    assert fields


def test_a_generated_client_walks_the_whole_api(api, base_url, httpserver, settings, fake):
    fast_import_settings(settings)
    codewars = FakeCodewars.serve(httpserver, settings)
    codewars.add_user("alice")
    m = api.models
    session = session_client(api, base_url)
    username = fake.unique.user_name()

    # --- account: token, register, sign in ---------------------------------------
    assert_model(api.call("accounts.accounts_csrf_retrieve", session, 200), "CsrfToken", api)
    identity = api.call("accounts.accounts_identity_retrieve", session, 200)
    assert_model(identity, "Identity", api)
    assert identity.authenticated is False and identity.user is None
    registered = api.call(
        "accounts.accounts_register_create",
        session,
        201,
        body=m.RegisterRequest(username=username, password=PASSWORD),
    )
    assert_model(registered, "RegisteredUser", api)
    assert registered.email == ""
    signed_in = api.call(
        "accounts.accounts_login_create",
        session,
        200,
        body=m.LoginRequest(username=username, password=PASSWORD),
    )
    assert_model(signed_in, "User", api)
    identity = api.call("accounts.accounts_identity_retrieve", session, 200)
    assert_model(identity.user, "User", api)
    assert identity.user.id == registered.id

    # --- tags ----------------------------------------------------------------------
    tag = api.call("tags.tags_create", session, 201, body=m.TagRequest(name="graphs"))
    assert_model(tag, "Tag", api)
    assert_models(api.call("tags.tags_list", session, 200), "Tag", api, 1)
    assert_model(api.call("tags.tags_retrieve", session, 200, id=tag.id), "Tag", api)
    tag = api.call(
        "tags.tags_update", session, 200, id=tag.id, body=m.TagRequest(name="graph", description="")
    )
    assert tag.name == "graph"
    tag = api.call(
        "tags.tags_partial_update",
        session,
        200,
        id=tag.id,
        body=m.PatchedTagRequest(description="BFS, DFS"),
    )
    assert tag.description == "BFS, DFS"
    page = api.call("tags.tags_page_list", session, 200, limit=1)
    assert_model(page, "PaginatedTagList", api)
    assert page.count == 1
    assert_models(page.results, "Tag", api, 1)
    spare = api.call("tags.tags_create", session, 201, body=m.TagRequest(name="spare"))
    assert api.call("tags.tags_destroy", session, 204, id=spare.id) is None

    # --- questions -------------------------------------------------------------------
    question = api.call(
        "questions.questions_create",
        session,
        201,
        body=m.QuestionRequest(title="Number of islands", tag_ids=[tag.id]),
    )
    assert_model(question, "Question", api)
    assert [summary.id for summary in question.tags] == [tag.id]
    assert_models(api.call("questions.questions_list", session, 200), "Question", api, 1)
    assert_models(
        api.call("questions.questions_list", session, 200, search="islands", tag=[tag.id]),
        "Question",
        api,
        1,
    )
    page = api.call("questions.questions_page_list", session, 200, limit=10)
    assert_model(page, "PaginatedQuestionList", api)
    assert_models(page.results, "Question", api, 1)
    question = api.call(
        "questions.questions_update",
        session,
        200,
        id=question.id,
        body=m.QuestionRequest(
            title="Number of islands", difficulty=m.DifficultyEnum.MEDIUM, tag_ids=[tag.id]
        ),
    )
    assert question.difficulty == m.DifficultyEnum.MEDIUM
    question = api.call(
        "questions.questions_partial_update",
        session,
        200,
        id=question.id,
        body=m.PatchedQuestionRequest(source="https://leetcode.com/problems/number-of-islands/"),
    )
    assert_model(
        api.call("questions.questions_retrieve", session, 200, id=question.id), "Question", api
    )

    # --- question logs ---------------------------------------------------------------
    log = api.call(
        "question_logs.questions_logs_create",
        session,
        201,
        question_id=question.id,
        body=m.QuestionLogRequest(
            outcome=m.OutcomeEnum.SOLVED, rating=m.RatingEnum.GOOD, time_spent_min=25
        ),
    )
    assert_model(log, "QuestionLog", api)
    assert_models(
        api.call("question_logs.questions_logs_list", session, 200, question_id=question.id),
        "QuestionLog",
        api,
        1,
    )
    page = api.call("question_logs.questions_logs_page_list", session, 200, question_id=question.id)
    assert_model(page, "PaginatedQuestionLogList", api)
    log = api.call(
        "question_logs.questions_logs_update",
        session,
        200,
        question_id=question.id,
        id=log.id,
        body=m.QuestionLogRequest(outcome=m.OutcomeEnum.PARTIAL, solution_approach="BFS"),
    )
    assert log.outcome == m.OutcomeEnum.PARTIAL
    log = api.call(
        "question_logs.questions_logs_partial_update",
        session,
        200,
        question_id=question.id,
        id=log.id,
        body=m.PatchedQuestionLogRequest(self_notes="Mark visited cells in place."),
    )
    assert_model(
        api.call(
            "question_logs.questions_logs_retrieve",
            session,
            200,
            question_id=question.id,
            id=log.id,
        ),
        "QuestionLog",
        api,
    )
    extra = api.call(
        "question_logs.questions_logs_create",
        session,
        201,
        question_id=question.id,
        body=m.QuestionLogRequest(outcome=m.OutcomeEnum.FAILED),
    )
    assert (
        api.call(
            "question_logs.questions_logs_destroy",
            session,
            204,
            question_id=question.id,
            id=extra.id,
        )
        is None
    )

    # --- practice and statistics ---------------------------------------------------------
    for item in api.call("practice.review_list", session, 200, limit=5):
        assert_model(item, "Question", api)
    forecast = api.call("practice.review_forecast_list", session, 200, days=7)
    assert_models(forecast, "ForecastDay", api, 7)
    today = datetime.date.today()
    stats = api.call(
        "practice.stats_retrieve",
        session,
        200,
        tz="Europe/Paris",
        since=today - datetime.timedelta(days=30),
        until=today + datetime.timedelta(days=1),
    )
    assert_model(stats, "Stats", api)
    assert stats.totals.attempts == 1

    # --- an import from a platform ----------------------------------------------------------
    job = api.call(
        "imports.import_create",
        session,
        202,
        platform=m.ImportCreatePlatform.CODEWARS,
        body=m.ImportStartRequest(username="alice"),
    )
    assert_model(job, "ImportJob", api)
    job = api.call("imports.import_jobs_retrieve", session, 200, id=job.id)
    assert job.status == m.StatusEnum.SUCCEEDED, job.error
    assert_models(api.call("imports.import_jobs_list", session, 200), "ImportJob", api, 1)
    assert_model(
        api.call("imports.import_jobs_page_list", session, 200), "PaginatedImportJobList", api
    )

    # --- API tokens -------------------------------------------------------------------------
    created = api.call(
        "tokens.accounts_tokens_create",
        session,
        201,
        body=m.ApiTokenCreateRequest(name="laptop", expires_in_days=30),
    )
    assert_model(created, "ApiTokenCreate", api)
    assert_models(api.call("tokens.accounts_tokens_list", session, 200), "ApiToken", api, 1)
    assert_model(
        api.call("tokens.accounts_tokens_page_list", session, 200), "PaginatedApiTokenList", api
    )
    assert_model(
        api.call("tokens.accounts_tokens_retrieve", session, 200, id=created.id), "ApiToken", api
    )
    bearer = api.package.AuthenticatedClient(
        base_url=base_url, token=created.token, raise_on_unexpected_status=True
    )
    assert_models(api.call("tags.tags_list", bearer, 200), "Tag", api, 1)
    assert api.call("tokens.accounts_tokens_destroy", session, 204, id=created.id) is None
    refused = api.call("tags.tags_list", bearer, 401)
    assert_model(refused, "Error", api)
    assert refused.detail == "Invalid token."

    # --- export and import of the data ---------------------------------------------------------
    document = api.call("your_data.accounts_export_retrieve", session, 200)
    assert_model(document, "ExportDocument", api)
    assert_model(document.user, "ExportedUser", api)
    assert document.user.email == ""
    assert len(document.questions) == 1
    result = api.call(
        "your_data.accounts_import_create",
        session,
        200,
        body=m.ExportDocumentRequest.from_dict(document.to_dict()),
    )
    assert_model(result, "ImportResult", api)
    assert (result.tags_existing, result.questions_skipped) == (1, 1)

    # --- the end: delete the account -------------------------------------------------------------
    wrong = api.call(
        "accounts.accounts_me_destroy",
        session,
        400,
        body=m.AccountDeleteRequest(password="not " + PASSWORD),
    )
    assert_model(wrong, "Error", api)
    assert wrong["password"] == ["The password is wrong."]
    assert (
        api.call(
            "accounts.accounts_me_destroy",
            session,
            204,
            body=m.AccountDeleteRequest(password=PASSWORD),
        )
        is None
    )
    identity = api.call("accounts.accounts_identity_retrieve", session, 200)
    assert identity.authenticated is False and identity.user is None
