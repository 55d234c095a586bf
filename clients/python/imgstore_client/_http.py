"""HTTP plumbing shared by the reader and the writer: sessions, tokens, retries, problems."""
import os
import time
from urllib.parse import quote

import requests
import urllib3

DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds
FRAMES_TYPE = "application/x-imgstore-frames"


class ImgStoreClientError(Exception):
    """An error answered by the server (RFC 9457 problem) or a protocol error."""

    def __init__(self, message, status=None, problem=None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}


def split_url(url, store_id=None):
    """``http://host:8080/stores/<id>`` -> (base, id); with ``store_id``, ``url`` is the base url."""
    url = url.rstrip("/")
    if store_id is not None:
        if url.endswith("/stores"):
            url = url[: -len("/stores")]
        return url, store_id
    marker = "/stores/"
    i = url.rfind(marker)
    if i < 0:
        raise ValueError("expected a store url like http://host:8080/stores/<id>, or pass store_id=: %r" % url)
    return url[:i], url[i + len(marker):]


def quote_id(store_id):
    return quote(store_id, safe="~.-_")


def make_session(token=None, session=None):
    s = session if session is not None else requests.Session()
    token = token if token is not None else os.environ.get("IMGSTORE_TOKEN")
    if token:
        s.headers["Authorization"] = "Bearer " + token
    return s


def problem_of(response):
    try:
        p = response.json()
        return p if isinstance(p, dict) else {}
    except ValueError:
        return {}


def raise_for(response, what):
    p = problem_of(response)
    detail = p.get("detail") or p.get("title") or response.reason
    raise ImgStoreClientError("%s: HTTP %d %s" % (what, response.status_code, detail),
                              status=response.status_code, problem=p)


def retry_after(response, default=1.0):
    try:
        return max(0.05, float(response.headers.get("Retry-After", default)))
    except ValueError:
        return default


def get(session, url, what, params=None, headers=None, stream=False, timeout=DEFAULT_TIMEOUT,
        retries=5, ok=(200,)):
    """GET with retries on 503 (server busy, honouring Retry-After) and on connection errors.
    Returns the response for statuses in ``ok`` and 404 (the caller decides); raises otherwise."""
    return request(session, "GET", url, what, params=params, headers=headers, stream=stream, timeout=timeout,
                   retries=retries, ok=ok)


def request(session, method, url, what, params=None, headers=None, stream=False, timeout=DEFAULT_TIMEOUT,
            retries=5, ok=(200,), json=None):
    """As :func:`get` for any method (a read: safe to retry), with an optional JSON body."""
    attempt = 0
    while True:
        try:
            r = session.request(method, url, params=params, headers=headers, stream=stream, timeout=timeout,
                                json=json)
        except (requests.ConnectionError, requests.Timeout, urllib3.exceptions.HTTPError):
            attempt += 1
            if attempt > retries:
                raise
            time.sleep(min(2.0, 0.1 * 2 ** attempt))
            continue
        if r.status_code == 503 and attempt < retries:
            attempt += 1
            delay = retry_after(r)
            r.close()
            time.sleep(delay)
            continue
        if r.status_code in ok or r.status_code == 404:
            return r
        raise_for(r, what)
