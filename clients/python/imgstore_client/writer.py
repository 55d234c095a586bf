"""Writing a store over the ingest API with imgstore's writing API."""
import json
import logging
import queue
import threading
import time

import numpy as np
import requests
import urllib3

# what a dropped connection or a server that is (re)starting raises; requests' chunked-upload path
# lets urllib3's connection errors through unwrapped
_CONN_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
                urllib3.exceptions.HTTPError, OSError)

from . import _http
from ._records import encode

__all__ = ["RemoteStoreWriter", "new_for_format"]

log = logging.getLogger("imgstore_client")

_CLOSE = object()


class _Pending:
    __slots__ = ("header", "payload", "extras")

    def __init__(self, header, payload):
        self.header = header
        self.payload = payload
        self.extras = None


class RemoteStoreWriter:
    """A store being written on the server. Frames go over one long chunked
    ``POST /stores/{id}/frames`` (``application/x-imgstore-frames``) fed from a bounded queue by a
    background thread: when the server (disk, encoder) or the network is slower than the caller,
    the upload blocks, the queue fills and :meth:`add_image` blocks (back-pressure, bounded memory).

    After ``ack_frames`` frames (or ``ack_bytes``) the request is ended and the server's answer
    acknowledges them; frames not acknowledged are kept. On a dropped connection (or a restarted
    server) the writer reconnects, asks the server how many frames the store holds and resends the
    ones it did not get: nothing accepted is lost, nothing is written twice.
    """

    def __init__(self, url, path, format, imgshape, imgdtype="uint8", chunksize=None, metadata=None,
                 encoding=None, token=None, exist_ok=False, queue_frames=16, ack_frames=1000,
                 ack_bytes=256 << 20, retry_timeout=120.0, idle_seconds=2.0, timeout=(10.0, 120.0), session=None):
        self.base_url = url.rstrip("/")
        if self.base_url.endswith("/stores"):
            self.base_url = self.base_url[: -len("/stores")]
        self._session = _http.make_session(token, session)
        self._own_session = session is None
        self._timeout = timeout
        self._retry_timeout = retry_timeout
        self._imgshape = tuple(int(x) for x in imgshape)
        self._dtype = np.dtype(imgdtype)
        if self._dtype.name not in ("uint8", "uint16"):
            raise ValueError("imgdtype must be uint8 or uint16, not %s" % self._dtype)
        self._wire_dtype = self._dtype.newbyteorder("<")
        self._frame_bytes = int(np.prod(self._imgshape)) * self._dtype.itemsize
        self._ack_frames = max(1, int(ack_frames))
        self._ack_bytes = int(ack_bytes)
        self._idle = float(idle_seconds)
        body = {"path": path, "format": format, "imgshape": list(self._imgshape), "imgdtype": self._dtype.name,
                "user_metadata": dict(metadata or {}), "encoding": encoding}
        if chunksize is not None:
            body["chunksize"] = int(chunksize)
        if exist_ok:
            body["exist_ok"] = True
        r = self._session.post(self.base_url + "/stores", json=body, timeout=timeout)
        if exist_ok and r.status_code == 400:  # a server that does not know exist_ok
            body.pop("exist_ok")
            r = self._session.post(self.base_url + "/stores", json=body, timeout=timeout)
        if exist_ok and r.status_code == 409:  # a server without exist_ok: find the store ourselves
            self.summary = self._existing(path, body)
        elif r.status_code not in (200, 201):
            _http.raise_for(r, "creating store %s" % path)
        else:
            self.summary = r.json()
        self.store_id = self.summary["id"]
        self._frames_url = "%s/stores/%s/frames" % (self.base_url, _http.quote_id(self.store_id))
        self._acked = int(self.summary.get("frame_count") or 0)  # frames the store holds for sure
        if exist_ok:  # an existing store: its writer's count (a reader's may lag behind a live store's)
            r = self._retrying_post(self._frames_url, data=b"", headers={"Content-Type": _http.FRAMES_TYPE})
            if r.status_code != 200:
                _http.raise_for(r, "opening store %s for writing" % path)
            self._acked = int(r.json()["frame_count"])
        self.frame_count = self._acked
        self.frame_number = None
        self.frame_time = None
        self.reconnects = 0
        self._q = queue.Queue(maxsize=max(1, int(queue_frames)))
        self._pending = None  # the last frame, held back so add_extra_data can ride in its header
        self._error = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="imgstore-upload-%s" % self.store_id, daemon=True)
        self._thread.start()

    # -- imgstore's writing API ------------------------------------------------------------------
    def add_image(self, img, frame_number, frame_time=None):
        """Queues one frame (blocks while the queue is full). ``img``: ``imgshape``, ``imgdtype``, BGR."""
        self._check()
        img = np.asarray(img)
        if img.shape != self._imgshape:
            raise ValueError("image shape %s, the store's is %s" % (img.shape, self._imgshape))
        if img.dtype != self._dtype:
            raise ValueError("image dtype %s, the store's is %s" % (img.dtype, self._dtype))
        payload = np.ascontiguousarray(img, dtype=self._wire_dtype).tobytes()
        if frame_time is None:
            frame_time = time.time()
        header = {"frame_number": int(frame_number), "frame_time": float(frame_time)}
        self._flush_pending()
        self._pending = _Pending(header, payload)
        self.frame_number, self.frame_time = header["frame_number"], header["frame_time"]
        self.frame_count += 1

    def add_extra_data(self, **data):
        """Extra data for the most recent frame (sent in its record's header). Several calls for one
        frame are merged into one row (later keys win)."""
        if not data:
            return
        self._check()
        if self._pending is None:
            raise ValueError("extra data belongs to the most recent frame: add a frame first")
        json.dumps(data, allow_nan=False)  # fail here, not in the upload thread
        if self._pending.extras is None:
            self._pending.extras = {}
        self._pending.extras.update(data)

    def close(self, save_index=False):
        """Sends what is queued, waits for the server to acknowledge it and closes the store."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._error is None:
                self._flush_pending()
                self._put(_CLOSE)
            self._thread.join()
            if self._error is not None:
                raise self._error
            r = self._retrying_post(self._frames_url.rsplit("/", 1)[0] + "/close", data=b"")
            if r.status_code != 200:
                _http.raise_for(r, "closing store %s" % self.store_id)
            self.summary = r.json()
        finally:
            if self._own_session:
                self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    # -- internals -------------------------------------------------------------------------------
    def _existing(self, path, body):
        """exist_ok on a server that answers 409: the store at ``path`` if its format and shape match."""
        r = _http.get(self._session, self.base_url + "/stores", "listing stores", params={"q": path},
                      timeout=self._timeout)
        items = r.json() if r.status_code == 200 else []
        for it in items:
            if it.get("path") == path:
                if it.get("format") != body["format"] or list(it.get("imgshape") or []) != body["imgshape"] \
                        or (it.get("imgdtype") or "uint8") != body["imgdtype"]:
                    raise _http.ImgStoreClientError("store %s exists with another format or shape (%s %s %s)" % (
                        path, it.get("format"), it.get("imgshape"), it.get("imgdtype")), status=409)
                s = _http.get(self._session, "%s/stores/%s" % (self.base_url, _http.quote_id(it["id"])),
                              "store %s" % path, timeout=self._timeout)
                if s.status_code != 200:
                    _http.raise_for(s, "store %s" % path)
                summary = s.json()
                summary.setdefault("id", it["id"])
                return summary
        raise _http.ImgStoreClientError("store %s exists (409) but is not listed" % path, status=409)

    def _check(self):
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ValueError("store is closed")

    def _flush_pending(self):
        p, self._pending = self._pending, None
        if p is not None:
            header = p.header
            if p.extras:
                header = dict(header, extra=p.extras)
            self._put(encode(header, p.payload))

    def _put(self, item):
        while True:
            if self._error is not None:
                raise self._error
            try:
                self._q.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    def _run(self):
        try:
            self._upload()
        except BaseException as e:  # reported to the caller by the next add_image/close
            self._error = e if isinstance(e, Exception) else RuntimeError(repr(e))
            while True:  # unblock a producer waiting on a full queue
                try:
                    self._q.get_nowait()
                except queue.Empty:
                    break

    def _upload(self):
        unacked = []  # records sent (or being sent) whose arrival the server has not confirmed
        closing = False
        while True:
            if closing and not unacked:
                return
            if not unacked and not closing:
                first = self._q.get()  # idle: no request open (the server ends uploads that trickle)
                if first is _CLOSE:
                    return
                unacked.append(first)
            state = {"closing": closing}
            batch = list(unacked)

            def body():
                for rec in batch:  # resends first
                    yield rec
                n, size = len(batch), sum(len(b) for b in batch)
                while not state["closing"] and n < self._ack_frames and size < self._ack_bytes:
                    try:
                        rec = self._q.get(timeout=self._idle)
                    except queue.Empty:
                        break  # end this request: a slow camera must not trickle (408 upload-too-slow)
                    if rec is _CLOSE:
                        state["closing"] = True
                        break
                    unacked.append(rec)
                    n += 1
                    size += len(rec)
                    yield rec

            # the frames the store must hold before this batch: a stale request of ours that reaches the
            # server after a resync is refused (409 frame-count-mismatch) instead of writing duplicates
            expected = str(self._acked)
            try:
                r = self._session.post(self._frames_url, data=body(), timeout=self._timeout,
                                       headers={"Content-Type": _http.FRAMES_TYPE, "X-Expected-Frame-Count": expected})
            except _CONN_ERRORS as e:
                closing = state["closing"]
                log.warning("upload to %s interrupted (%s); reconnecting", self.store_id, e)
                self.reconnects += 1
                self._resync(unacked)
                continue
            closing = state["closing"]
            if r.status_code == 200:
                self._ack(unacked, int(r.json()["frame_count"]))
                if unacked:  # the server has fewer frames than it should: resend (cannot happen normally)
                    log.warning("server holds fewer frames than sent; resending %d", len(unacked))
                continue
            ptype = _http.problem_of(r).get("type", "")
            if r.status_code in (503, 408) or (r.status_code == 400 and ptype.endswith("stream-interrupted")):
                time.sleep(_http.retry_after(r))
                self._resync(unacked)
                continue
            if r.status_code == 409 and not _http.problem_of(r).get("type", "").endswith("store-closed"):
                # another upload (our own dropped one) is still being written: wait and ask again
                time.sleep(0.5)
                self._resync(unacked)
                continue
            p = _http.problem_of(r)
            if "frames_accepted" in p and "frame_count" in p:
                self._ack(unacked, int(p["frame_count"]))
            _http.raise_for(r, "uploading frames to %s" % self.store_id)

    def _ack(self, unacked, frame_count):
        n = max(0, frame_count - self._acked)
        del unacked[:n]
        self._acked = max(self._acked, frame_count)

    def _resync(self, unacked):
        """After a broken upload: an empty upload waits for the server to finish the broken one and
        answers the store's frame count; the frames beyond it are resent."""
        deadline = time.monotonic() + min(30.0, self._retry_timeout)
        while True:
            r = self._retrying_post(self._frames_url, data=b"", headers={"Content-Type": _http.FRAMES_TYPE})
            if r.status_code == 409 and time.monotonic() < deadline:
                # a restarted server reopens the stores its shutdown closed just after it starts listening
                time.sleep(1.0)
                continue
            break
        if r.status_code != 200:
            _http.raise_for(r, "resuming upload to %s" % self.store_id)
        self._ack(unacked, int(r.json()["frame_count"]))

    def _retrying_post(self, url, **kw):
        deadline = time.monotonic() + self._retry_timeout
        delay = 0.1
        while True:
            try:
                r = self._session.post(url, timeout=self._timeout, **kw)
                if r.status_code == 503 or (r.status_code == 409 and not _http.problem_of(r).get(
                        "type", "").endswith("store-closed")):
                    if time.monotonic() > deadline:
                        return r
                    time.sleep(_http.retry_after(r, 0.5))
                    continue
                return r
            except _CONN_ERRORS:
                if time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(2.0, delay * 2)


def new_for_format(url, path, format, imgshape, imgdtype="uint8", chunksize=None, metadata=None, **kwargs):
    """Creates a store on the server at ``url`` (``http://host:8080``) and opens it for writing,
    like ``imgstore.new_for_format(format, path, imgshape=, imgdtype=, chunksize=, metadata=)``.
    Other keywords: ``token``, ``encoding``, ``exist_ok``, ``queue_frames``, ``ack_frames``,
    ``ack_bytes``, ``retry_timeout``, ``timeout``, ``session``."""
    return RemoteStoreWriter(url, path, format, imgshape, imgdtype=imgdtype, chunksize=chunksize,
                             metadata=metadata, **kwargs)
