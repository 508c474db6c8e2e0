"""Schemathesis hooks for the fuzzing test (loaded through SCHEMATHESIS_HOOKS).

The session itself is the schema's ``cookieAuth`` scheme, configured in the
fuzzing test's auth section, so that Schemathesis's authentication checks can
drop and forge it. What a browser adds beside it is added here: the CSRF
cookie, whose token the test passes as the X-CSRFToken header.
"""

import os

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    case.cookies = {**(case.cookies or {}), "csrftoken": os.environ["FUZZ_CSRF_TOKEN"]}
