"""How drf-spectacular documents this API for generated clients.

``AutoSchema`` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds what the views and
serializers imply but drf-spectacular cannot see on its own:

- the error answers every operation can give, from the shared machinery
  (validation, authentication, CSRF, routing, body-size limit, throttles), each
  with the one ``Error`` body the API sends;
- who may call an operation, read from the view's permission classes: anonymous
  callers for CSRF-checked sign-in views, a session only for ``SessionRequired``;
- path ids as the integers they are (the URLs take 1 to 18 digits);
- lists as plain arrays, and the ``…/page/`` routes as DRF's page envelope;
- a body for a DELETE whose view declares one (account deletion's password);
- schemas that say what the serializers refuse: blank or NUL-containing text,
  and emails that may be blank.

``describe_components`` (a postprocessing hook) registers ``Error`` and gives a
description to the components drf-spectacular builds itself (pages, inline bodies).
"""

import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from backend.accounts.authentication import BearerTokenAuthentication
from backend.accounts.fields import NewPasswordField
from backend.accounts.permissions import CsrfProtected, SessionRequired
from backend.core.pagination import LimitOffsetPage

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'Every error answer: `{"detail": "…"}` when the error concerns the request as a whole, '
        'or field errors keyed by field name, e.g. `{"title": ["This field may not be blank."]}`, '
        '`{"non_field_errors": ["…"]}`, or nested for lists and objects '
        '(`{"tag_ids": {"0": ["…"]}}`). Some errors add fields of their own (`job_id`).'
    ),
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
    },
    "additionalProperties": True,
}

NULL_SCHEMA = {"type": "object", "nullable": True, "enum": [None], "description": "null."}

RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "description": "Seconds to wait before trying again.",
}

# The largest id a URL routes: ID_PATTERN takes at most 18 digits.
MAX_PATH_ID = 10**18 - 1
PATH_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_PATH_ID}

# DRF refuses a NUL character in any text field, and a blank one (after trimming)
# where blanks are not allowed. ECMA-262 patterns, unanchored unless anchored.
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"

# Permissions that let a caller without credentials in (CsrfProtected checks only CSRF).
ANONYMOUS_PERMISSIONS = (AllowAny, CsrfProtected)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

COMPONENT_DESCRIPTIONS = {
    "Health": "Whether the API and its database answer.",
    "BlankEnum": "The empty string: no value.",
    "VersionEnum": "The version of the export format this server reads and writes.",
    "ImportConflict": "An Error that also names the import under way (its `job_id`).",
    "StatsTotals": "Totals over your whole history (not limited by since/until).",
    "StatsWeek": "Attempts in one ISO week of the period, in your time zone.",
    "StatsDay": "Attempts on one day that has some, in your time zone.",
    "StatsStreaks": "Runs of consecutive days with at least one attempt, in your time zone.",
    "StatsFailedQuestion": "A question you failed most often, with how many times.",
    "CsvImportUploadRequest": "A CSV file sent as a form upload, in the field `file`.",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            self._add_error_responses(operation)
        return operation

    # --- who may call -------------------------------------------------------

    def get_auth(self):
        permissions = self.view.get_permissions()
        if any(isinstance(permission, SessionRequired) for permission in permissions):
            return [{"cookieAuth": []}]
        auth = super().get_auth()
        anonymous = all(isinstance(p, ANONYMOUS_PERMISSIONS) for p in permissions)
        if anonymous and {} not in auth:
            auth.append({})
        return auth

    def _add_error_responses(self, operation):
        responses = operation["responses"]
        security = operation.get("security", [{}])

        def add(status: str, description: str):
            responses.setdefault(
                status,
                {
                    "description": description,
                    "content": {"application/json": {"schema": ERROR_REF}},
                },
            )

        # A path parameter that does not fit is a URL that routes nowhere: a 404.
        query = [p for p in operation.get("parameters", []) if p["in"] != "path"]
        if query or operation.get("requestBody"):
            add("400", "Invalid input; the body names the fields.")
        # Any Authorization header is checked, even where none is needed.
        if any(isinstance(a, BearerTokenAuthentication) for a in self.view.get_authenticators()):
            add("401", "The Authorization header holds no valid token.")
        if {} not in security:
            add("403", "Not signed in.")
        if self.method in UNSAFE and {"cookieAuth": []} in security:
            add("403", "Missing or wrong X-CSRFToken for a session.")
        if "{" in self.path:
            add("404", "No such object of yours.")
        add("406", "The Accept header excludes application/json.")
        # Refused by gunicorn before the app (gunicorn.conf.py gives them the Error body).
        add("414", "The request line (path and query string) is longer than 4 KB.")
        add("431", "The request's headers are too many or too large.")
        if operation.get("requestBody"):
            add("413", "The body is larger than the limit.")
            add("415", "The body is not JSON.")
        if self.view.get_throttles():
            add("429", "Too many requests; see Retry-After.")
        add("503", "The database is unavailable; try again shortly.")
        for status, answer in responses.items():
            # An error a view declares with a description only still has the Error body.
            if status[0] in "45":
                answer.setdefault("content", {"application/json": {"schema": ERROR_REF}})
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if status in ("429", "503") and schema == ERROR_REF:
                answer.setdefault("headers", {"Retry-After": RETRY_AFTER})

    # --- paths and lists ----------------------------------------------------

    def _resolve_path_parameters(self, variables):
        # Imported here: the views import drf-spectacular's decorators, which load this class.
        from backend.core.views import ID_PATTERN

        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("pattern") == f"^{ID_PATTERN}$":
                parameter["schema"] = dict(PATH_ID_SCHEMA)
        return parameters

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        fields = getattr(self.view, "ordering_fields", None)
        for parameter in parameters:
            if parameter["name"] == "ordering" and fields:
                # StrictOrderingFilter refuses any other name (an empty value is
                # no ordering): the schema says which.
                name = f"-?(?:{'|'.join(map(re.escape, fields))})"
                parameter["schema"]["pattern"] = f"^(?:{name}(?:,{name})*)?$"
                parameter["description"] = (
                    f"Comma-separated fields to sort by, each optionally prefixed with - "
                    f"for descending: {', '.join(fields)}."
                )
        return parameters

    def _get_paginator(self):
        # A list is a plain array unless it is asked for a page with ?limit=; the
        # schema documents that switch as the separate …/page/ operations, which
        # always answer a page, so that each operation has one response shape.
        paginator = super()._get_paginator()
        return paginator if isinstance(paginator, LimitOffsetPage) else None

    def _is_page(self) -> bool:
        return self._is_list_view() and isinstance(self._get_paginator(), LimitOffsetPage)

    def _has_pages(self) -> bool:
        """A plain list whose pages are served by the same path plus ``page/``."""
        return self._is_list_view() and getattr(self.view, "pagination_class", None) is not None

    def get_summary(self):
        summary = super().get_summary()
        if summary and self._is_page():
            return f"{summary}: one page"
        return summary

    def get_description(self):
        description = super().get_description()
        if self._has_pages() and not self._is_page():
            description = (
                f"{description}\n\nA plain array of the whole list. `GET {self.path}page/` "
                "serves the same list a page at a time."
            )
        if self._is_page():
            page = LimitOffsetPage
            description = (
                f"{description}\n\nOne page of the list, in an envelope: `count` (the whole "
                f"list's length), `next` and `previous` (links, or null) and `results`. "
                f"`limit` defaults to {page.default_limit} and is capped at {page.max_limit}. "
                f"`GET {self.path.removesuffix('page/')}` is the same list as one plain array."
            )
        return description

    # --- bodies -------------------------------------------------------------

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        # DRF reads a DELETE's body like any other. Only a view that declares one
        # with extend_schema(request=…) takes a body: a generic view's own
        # serializer describes the object, not the request.
        declared = self.get_request_serializer()
        own = self._get_serializer() if isinstance(self.view, GenericAPIView) else None
        if declared is None or type(declared) is type(own):
            return None
        self.method = "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"

    def _map_basic_serializer(self, serializer, direction):
        serializer = force_instance(serializer)
        schema = super()._map_basic_serializer(serializer, direction)
        properties = schema["properties"]
        for name, field in serializer.fields.items():
            if name not in properties:
                continue
            if isinstance(field, NewPasswordField) and direction == "request":
                password_rules(properties[name])
            if isinstance(field, serializers.EmailField):
                properties[name] = email_schema(field, properties[name])
            elif isinstance(field, serializers.CharField) and direction == "request":
                text_pattern(field, properties[name])
            if "allOf" in properties[name] and properties[name].get("nullable"):
                properties[name] = nullable_object(properties[name])
        return schema


def nullable_object(schema: dict) -> dict:
    """A nested object or null, as strict OpenAPI 3.0 tools read it.

    drf-spectacular writes ``allOf: [ref], nullable: true``, and 3.0 ignores
    ``nullable`` on a schema without a type; with ``type: object`` next to it,
    generators drop the null instead. One choice of two typed schemas is both.
    """
    outer = {key: value for key, value in schema.items() if key not in {"allOf", "nullable"}}
    return {"oneOf": [*schema["allOf"], NULL_SCHEMA], **outer}


def password_rules(schema: dict):
    """The password validators' rules that a schema can state: the minimum length,
    and not only digits. Being uncommon and unlike the username it cannot."""
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        name = validator["NAME"].rsplit(".", 1)[-1]
        if name == "MinimumLengthValidator":
            schema["minLength"] = validator.get("OPTIONS", {}).get("min_length", 8)
        elif name == "NumericPasswordValidator":
            schema["pattern"] = "^[^\\u0000]*[^0-9\\u0000][^\\u0000]*$"


def email_schema(field: serializers.EmailField, schema: dict) -> dict:
    """An email, or the empty string where one may be blank.

    A read-only model field loses ``allow_blank``; the model's column says it.
    drf-spectacular's own blank option keeps ``default: ""`` beside ``format:
    email``, which validators reject: the default belongs outside the choice.
    """
    if "oneOf" in schema:
        email = next(option for option in schema.pop("oneOf") if option.get("format") == "email")
        schema = {**schema, **email}
    if not (field.allow_blank or model_field_is_blank(field)):
        return schema
    outer = {"readOnly", "writeOnly", "nullable", "description", "title", "default"}
    inner = {key: schema.pop(key) for key in list(schema) if key not in outer}
    length = {"maxLength": inner["maxLength"]} if "maxLength" in inner else {}
    schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]
    return {"type": "string", **length, **schema}


def model_field_is_blank(field: serializers.Field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except FieldDoesNotExist:
        return False


def text_pattern(field: serializers.CharField, schema: dict):
    """Say in the schema which texts DRF's CharField refuses: NUL anywhere, and
    blank (empty, or only whitespace when it trims) unless it allows blanks."""
    if schema.get("type") != "string" or {"enum", "format", "pattern"} & set(schema):
        return
    blank_refused = not field.allow_blank and field.trim_whitespace
    schema["pattern"] = NOT_BLANK if blank_refused else NO_NUL


def describe_components(result, generator, request, public):
    schemas = result["components"]["schemas"]
    schemas["Error"] = ERROR_SCHEMA
    for name, component in schemas.items():
        if component.get("description"):
            continue
        page = re.fullmatch(r"Paginated(\w+)List", name)
        if page:
            component["description"] = f"One page of a list of {page[1]}."
        elif name in COMPONENT_DESCRIPTIONS:
            component["description"] = COMPONENT_DESCRIPTIONS[name]
    return result
