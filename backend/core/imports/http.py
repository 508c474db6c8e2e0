"""HTTP calls to a platform: timeouts, a User-Agent, bounded retries with backoff."""

import logging
import time
from email.utils import parsedate_to_datetime

import requests
import urllib3
from django.conf import settings
from django.utils import timezone

from backend.core.imports.errors import UpstreamMalformed, UpstreamUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = "interview-questions-api/1.0 (question import)"
RETRIED_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    # Raised while the body is read (see read_body), where requests does not wrap them.
    urllib3.exceptions.HTTPError,
    OSError,
)
CHUNK_BYTES = 64 * 1024


def tries(count: int) -> str:
    return "1 try" if count == 1 else f"{count} tries"


def retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds (a number or an HTTP date), or None when absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def network_cause(error: requests.RequestException) -> str:
    """What really went wrong (name resolution, a refused connection, a timeout), in a line.

    requests wraps urllib3's error, whose ``reason`` is the one that names the cause.
    """
    reason = error.args[0] if error.args else error
    reason = getattr(reason, "reason", None) or reason
    return f"{type(reason).__name__}: {reason}"


class UpstreamSession:
    """A requests session for one platform and one import run.

    Every call has a connect and a read timeout and follows no redirects, so only
    the configured hosts are ever called. A body is read up to
    IMPORT_MAX_RESPONSE_BYTES and for at most IMPORT_RESPONSE_SECONDS (an answer
    that drips in a byte at a time never trips the read timeout). Connection
    errors, timeouts, 429 and 5xx answers are retried up to IMPORT_MAX_RETRIES
    times, waiting what Retry-After asks or else IMPORT_RETRY_BACKOFF seconds,
    doubled each time; one call's waits never add up to more than
    IMPORT_RETRY_MAX_SECONDS. Settings are read at call time.
    """

    def __init__(self, label: str):
        self.label = label
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        self.session.close()

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """The first answer not worth retrying; UpstreamUnavailable when none came in time."""
        timeout = (settings.IMPORT_CONNECT_TIMEOUT, settings.IMPORT_READ_TIMEOUT)
        retries = max(0, settings.IMPORT_MAX_RETRIES)
        waited = 0.0
        for attempt in range(1, retries + 2):
            asked = None
            try:
                response = self.session.request(
                    method, url, timeout=timeout, allow_redirects=False, stream=True, **kwargs
                )
                with response:
                    self.read_body(response)
            except RETRIED_ERRORS as error:
                problem = f"{self.label} did not answer after {tries(attempt)}"
                cause = network_cause(error)
            else:
                cause = f"HTTP {response.status_code}"
                if response.status_code == 429:
                    asked = retry_after(response)
                    problem = (
                        f"{self.label} kept answering 'too many requests' after {tries(attempt)}"
                    )
                elif response.status_code >= 500:
                    problem = (
                        f"{self.label} kept failing (HTTP {response.status_code}) "
                        f"after {tries(attempt)}"
                    )
                else:
                    return response
            if attempt > retries:
                break
            wait = (
                asked if asked is not None else settings.IMPORT_RETRY_BACKOFF * 2 ** (attempt - 1)
            )
            if waited + wait > settings.IMPORT_RETRY_MAX_SECONDS:
                if asked is not None:
                    problem = (
                        f"{self.label} asked us to wait {wait:.0f} seconds before trying again"
                    )
                break
            logger.info("%s; retrying in %.1f s.", problem, wait)
            time.sleep(max(0.0, wait))
            waited += wait
        # The job's error is a sentence for the user; the operator gets the cause, once.
        logger.warning("Import call to %s gave up: %s; last cause: %s", self.label, problem, cause)
        raise UpstreamUnavailable(f"{problem}; try again later.")

    def read_body(self, response: requests.Response) -> None:
        """Read the body into ``response.content``, bounded in size and in time."""
        limit = settings.IMPORT_MAX_RESPONSE_BYTES
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self.too_large(limit)
        deadline = time.monotonic() + settings.IMPORT_RESPONSE_SECONDS
        chunks, size = [], 0
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise self.too_large(limit)
            if time.monotonic() > deadline:
                raise UpstreamUnavailable(
                    f"{self.label} sent its answer too slowly (still incomplete after "
                    f"{settings.IMPORT_RESPONSE_SECONDS} s); try again later."
                )
            chunks.append(chunk)
        # What requests itself does once it has read a body, so that .json() and
        # .text read these bytes.
        response._content = b"".join(chunks)

    def too_large(self, limit: int) -> UpstreamMalformed:
        return UpstreamMalformed(
            f"{self.label} sent an answer larger than {limit} bytes, more than we read; "
            "the import stopped."
        )
