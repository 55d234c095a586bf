"""A remote store with Python imgstore's reading API."""
import io
import math

import numpy as np

from . import _http
from ._records import RecordReader, to_image

try:  # optional, as in imgstore (which returns DataFrames)
    import pandas as _pd
except ImportError:  # pragma: no cover - depends on the machine
    _pd = None

__all__ = ["RemoteImgStore", "open"]

# longest comma-separated list sent in the URL (?numbers=); longer lists are POSTed as JSON
_URL_LIST_MAX = 2000


def _fmt_number(x):
    """A frame time for a URL path segment that parses back to the same double."""
    return repr(float(x))


class RemoteImgStore:
    """A store served by imgstore-java, read like ``imgstore.new_for_filename(path)``.

    Frames are fetched one request each as npy (BGR, exactly as imgstore returns them);
    :meth:`iter_frames` streams many frames over one request (the bulk endpoint).
    """

    def __init__(self, url, store_id=None, token=None, session=None, timeout=_http.DEFAULT_TIMEOUT):
        self.base_url, self.store_id = _http.split_url(url, store_id)
        self._url = "%s/stores/%s" % (self.base_url, _http.quote_id(self.store_id))
        self._own_session = session is None
        self._session = _http.make_session(token, session)
        self._timeout = timeout
        self._index = -1  # frame index of the last frame read (imgstore: start of the store)
        self.frame_number = np.nan  # as imgstore: nothing read yet
        self.frame_time = np.nan
        self._closed = False
        self.refresh()

    # -- metadata ---------------------------------------------------------------------------
    def refresh(self):
        """Re-reads the summary (frame_count etc. of a store still being written grow)."""
        r = _http.get(self._session, self._url, "store %s" % self.store_id, timeout=self._timeout)
        if r.status_code == 404:
            _http.raise_for(r, "store %s" % self.store_id)
        s = r.json()
        self.summary = s
        self.frame_count = int(s.get("frame_count") or 0)
        self.frame_min = s.get("frame_min")
        self.frame_max = s.get("frame_max")
        self.frame_time_min = s.get("frame_time_min")
        self.frame_time_max = s.get("frame_time_max")
        self._imgshape = tuple(s.get("imgshape") or ())
        self._image_shape = tuple(s.get("image_shape") or self._imgshape)
        self._imgdtype = s.get("imgdtype") or "uint8"
        self._user_metadata = dict(s.get("user_metadata") or {})
        self.chunksize = s.get("chunksize")
        self.format = s.get("format")
        self.uuid = s.get("uuid")
        self.has_extra_data = bool(s.get("has_extra_data"))
        return s

    @property
    def image_shape(self):
        return self._image_shape

    @property
    def user_metadata(self):
        return self._user_metadata

    @property
    def chunks(self):
        return list(range(int(self.summary.get("chunks") or 0)))

    @property
    def duration(self):
        if self.frame_time_min is None or self.frame_time_max is None:
            return 0.0
        return self.frame_time_max - self.frame_time_min

    @property
    def created(self):
        return self.summary.get("created_utc"), self.summary.get("timezone_local")

    @property
    def filename(self):
        return self._url

    def __len__(self):
        return self.frame_count

    def get_frame_metadata(self):
        """``{'frame_number': [...], 'frame_time': [...]}`` in index order, as imgstore."""
        md = self._json(self._url + "/frame-metadata", "frame metadata")
        return {"frame_number": list(md.get("frame_number", [])), "frame_time": list(md.get("frame_time", []))}

    def get_extra_data(self, ignore_corrupt_chunks=False):
        """The extra data: a pandas DataFrame (a list of dicts without pandas); ``None`` when the store
        has none, as imgstore."""
        records = self._json(self._url + "/extra-data", "extra data")
        if not records:
            return None
        if _pd is not None:
            return _pd.DataFrame(records)
        return records

    def _json(self, url, what, params=None):
        r = _http.get(self._session, url, "%s of %s" % (what, self.store_id), params=params, timeout=self._timeout)
        if r.status_code == 404:
            _http.raise_for(r, "%s of %s" % (what, self.store_id))
        return r.json()

    # -- frames -----------------------------------------------------------------------------
    def _frame(self, path, params, not_found):
        params = dict(params or {})
        params["format"] = "npy"
        r = _http.get(self._session, self._url + path, "frame of %s" % self.store_id, params=params,
                      timeout=self._timeout)
        if r.status_code == 404:
            p = _http.problem_of(r)
            if p.get("type", "").endswith("store-not-found"):
                _http.raise_for(r, "store %s" % self.store_id)
            raise not_found()
        img = np.load(io.BytesIO(r.content), allow_pickle=False)
        number = int(r.headers["X-Frame-Number"])
        t = float(r.headers["X-Frame-Time"])
        self._index = int(r.headers.get("X-Frame-Index", self._index + 1))
        self.frame_number, self.frame_time = number, t
        return img, (number, t)

    def get_image(self, frame_number, exact_only=True, frame_index=None):
        """``(img, (frame_number, frame_time))`` of the frame with that number (the first one, as
        imgstore), the nearest number with ``exact_only=False``, or at ``frame_index``.
        Absent frames raise ``ValueError`` as imgstore does."""
        if frame_index is not None:
            frame_index = int(frame_index)
            if frame_index < 0:
                raise ValueError("seeking to negative index not supported")
            return self._frame("/frames/by-index/%d" % frame_index, None,
                               lambda: ValueError("frame_index %s not found in index" % frame_index))
        if frame_number is None or (isinstance(frame_number, float) and math.isnan(frame_number)):
            raise ValueError("frame #%s not found in any chunk" % frame_number)
        number = int(round(frame_number)) if not exact_only else frame_number
        if exact_only and float(number) != int(number):
            raise ValueError("frame #%s not found in any chunk" % frame_number)
        params = None if exact_only else {"exact": "false"}
        return self._frame("/frames/%d" % int(number), params,
                           lambda: ValueError("frame #%s not found in any chunk" % frame_number))

    def get_next_image(self):
        """The frame after the last one read (the first frame at the start); ``EOFError`` at the end."""
        return self._frame("/frames/by-index/%d" % (self._index + 1), None, EOFError)

    def get_nearest_image(self, frame_time):
        """The frame whose ``frame_time`` is nearest (the first on ties)."""
        return self._frame("/frames/by-time/%s" % _fmt_number(frame_time), None,
                           lambda: ValueError("no frame near time %s" % frame_time))

    def iter_frames(self, from_=None, to=None, step=1, index_from=None, index_to=None, numbers=None):
        """Yields ``(img, (frame_number, frame_time))`` for a frame range over one streamed request
        (``GET /stores/{id}/frames``, ``application/x-imgstore-frames``): frame numbers
        ``from_..to`` inclusive every ``step`` (all frames by default), or indexes
        ``index_from..index_to`` inclusive, or the listed ``numbers``. One frame is in memory at a time.
        A list too long for a URL goes in the body of ``POST /stores/{id}/frames`` (same answer)."""
        params = {}
        body = None
        if numbers is not None:
            numbers = [int(n) for n in numbers]
            listed = ",".join(str(n) for n in numbers)
            if len(listed) > _URL_LIST_MAX:
                body = {"numbers": numbers}  # the server's request line/headers stop at 8 KB
            else:
                params["numbers"] = listed
        elif index_from is not None or index_to is not None:
            params["index_from"] = int(index_from if index_from is not None else 0)
            if index_to is not None:
                params["index_to"] = int(index_to)
        else:  # the server defaults to the store's smallest / largest frame number
            if from_ is not None:
                params["from"] = int(from_)
            if to is not None:
                params["to"] = int(to)
        if step != 1 and numbers is None:
            params["step"] = int(step)
        try:
            r = _http.request(self._session, "GET" if body is None else "POST", self._url + "/frames",
                              "frames of %s" % self.store_id, params=params, json=body,
                              headers={"Accept": _http.FRAMES_TYPE}, stream=True, timeout=self._timeout)
        except _http.ImgStoreClientError as e:
            if e.status in (405, 406, 415):
                raise _http.ImgStoreClientError("%s (this server has no bulk endpoint GET /stores/{id}/frames)"
                                                % e, status=e.status, problem=e.problem) from e
            raise
        try:
            if r.status_code == 404:
                _http.raise_for(r, "frames of %s" % self.store_id)
            ctype = r.headers.get("Content-Type", "")
            if not ctype.startswith(_http.FRAMES_TYPE):
                raise _http.ImgStoreClientError("the server answered %r, not a frame stream (does it have the bulk "
                                                "endpoint GET /stores/{id}/frames?)" % ctype, status=r.status_code)
            raw = r.raw
            fp = raw
            if not r.headers.get("Content-Encoding") and getattr(raw, "_fp", None) is not None:
                fp = raw._fp  # http.client's response: readinto without urllib3's extra copy
            reader = RecordReader(fp)
            expected = r.headers.get("X-Frame-Count")
            got = 0
            while True:
                rec = reader.next()
                if rec is None:
                    if expected is not None and got != int(expected):
                        # the server cuts the answer short when it fails after the first byte
                        raise IOError("frame stream of %s ended after %d of %s frames" % (
                            self.store_id, got, expected))
                    return
                got += 1
                header, payload = rec
                img = to_image(header, payload, self._image_shape, self._imgdtype)
                number = int(header["frame_number"])
                t = float(header["frame_time"])
                if "frame_index" in header:
                    self._index = int(header["frame_index"])
                self.frame_number, self.frame_time = number, t
                yield img, (number, t)
        finally:
            r.close()

    # -- lifetime ---------------------------------------------------------------------------
    def close(self, save_index=False):
        if not self._closed:
            self._closed = True
            if self._own_session:
                self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def __repr__(self):
        return "<RemoteImgStore %s frames=%d>" % (self._url, self.frame_count)


def open(url, store_id=None, token=None, session=None, timeout=_http.DEFAULT_TIMEOUT):
    """Opens a remote store for reading: ``open('http://host:8080/stores/<id>')`` or
    ``open('http://host:8080', store_id='<id>')``. ``token``: a bearer token (default ``$IMGSTORE_TOKEN``)."""
    return RemoteImgStore(url, store_id=store_id, token=token, session=session, timeout=timeout)
