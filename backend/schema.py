"""Schema post-processing: document the error answers every operation can give.

drf-spectacular documents only the success responses a view declares. The
errors come from shared machinery (validation, authentication, CSRF, routing,
the body-size limit, throttles), so they are added here once, for every
operation they apply to, rather than repeated on each view.
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        'An error: {"detail": "…"}, or field errors such as {"title": ["This field may not be '
        'blank."]}.'
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

# Operations an anonymous caller may call (DRF's AllowAny is detected on its own).
ANONYMOUS = {
    ("post", "/api/accounts/login/"),
    ("post", "/api/accounts/register/"),
    ("post", "/api/accounts/logout/"),
}
THROTTLED = {("post", "/api/accounts/login/"), ("post", "/api/accounts/register/")}
UNSAFE = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    result["components"]["schemas"]["Error"] = ERROR_SCHEMA
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            security = operation.setdefault("security", [{}])
            if (method, path) in ANONYMOUS and {} not in security:
                security.append({})
            responses = operation["responses"]

            def add(status: str, description: str):
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                )

            if operation.get("parameters") or operation.get("requestBody"):
                add("400", "Invalid input; the body names the fields.")
            if {} not in security:
                add("401", "The Authorization header holds no valid token.")
                add("403", "Not signed in.")
            if method in UNSAFE and {"cookieAuth": []} in security:
                add("403", "Missing or wrong X-CSRFToken for a session.")
            if "{" in path:
                add("404", "No such object of yours.")
            add("406", "The Accept header excludes application/json.")
            if operation.get("requestBody"):
                add("413", "The body is larger than the limit.")
                add("415", "The body is not JSON.")
            if (method, path) in THROTTLED:
                add("429", "Too many attempts; see Retry-After.")
            add("503", "The database is unavailable; try again shortly.")
    return result
