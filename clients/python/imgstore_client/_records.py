"""The record format shared by ingest (client -> server) and the bulk read (server -> client):
4-byte big-endian header length N, N bytes of UTF-8 JSON header, then ``payload_length`` bytes."""
import json
import struct

import numpy as np

_LEN = struct.Struct(">I")
MAX_HEADER = 1 << 20


def encode(header, payload):
    """One record as bytes (header gets ``payload_length``)."""
    header = dict(header)
    header["payload_length"] = len(payload)
    h = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return _LEN.pack(len(h)) + h + payload


class RecordReader:
    """Reads records from a file-like object (``readinto`` preferred: payloads land straight in the
    array's buffer, no copy), one at a time, never more than one record in memory."""

    def __init__(self, fp):
        self._fp = fp
        self._readinto = getattr(fp, "readinto", None)

    def _fill(self, buf):
        """Fills ``buf`` completely; returns the number of bytes read (< len only at EOF)."""
        view = memoryview(buf)
        pos, n = 0, len(buf)
        while pos < n:
            if self._readinto is not None:
                k = self._readinto(view[pos:])
            else:
                chunk = self._fp.read(n - pos)
                k = len(chunk) if chunk else 0
                view[pos:pos + k] = chunk
            if not k:
                break
            pos += k
        return pos

    def next(self):
        """(header dict, payload as a uint8 numpy array), or None at a clean end of stream."""
        head = bytearray(4)
        k = self._fill(head)
        if k == 0:
            return None
        if k < 4:
            raise IOError("bulk stream ended inside a record header length")
        (n,) = _LEN.unpack(head)
        if n > MAX_HEADER:
            raise IOError("record header of %d bytes (corrupt stream?)" % n)
        hb = bytearray(n)
        if self._fill(hb) < n:
            raise IOError("bulk stream ended inside a record header")
        header = json.loads(hb.decode("utf-8"))
        length = int(header.get("payload_length", 0))
        payload = np.empty(length, dtype=np.uint8)  # not zeroed (bytearray would be): filled by readinto
        if self._fill(payload) < length:
            raise IOError("bulk stream ended inside frame %s's payload" % header.get("frame_number"))
        return header, payload


def to_image(header, payload, default_shape=None, default_dtype=None):
    """The payload as a (writable) numpy array of the header's shape and dtype."""
    shape = header.get("shape") or default_shape
    dtype = np.dtype(header.get("dtype") or default_dtype or "uint8")
    if dtype.byteorder not in ("|", "<") and dtype.itemsize > 1:
        dtype = dtype.newbyteorder("<")  # raw pixels are little-endian
    if isinstance(payload, np.ndarray):
        img = payload.view(dtype)
    else:
        img = np.frombuffer(payload, dtype=dtype)
    if shape is not None:
        img = img.reshape(tuple(shape))
    return img
