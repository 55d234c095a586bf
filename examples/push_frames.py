#!/usr/bin/env python3
"""Push frames to an imgstore-java server, as an acquisition rig would (stdlib + numpy only).

Creates a store (POST /stores), streams frames in ONE chunked POST /stores/{id}/frames using the
record format (4-byte big-endian header length, JSON header, raw pixels), then closes the store.

    python3 examples/push_frames.py --url http://localhost:8080 --path rig1/exp_20240501_101500 \
        --format avc1/mp4 --shape 1200 1920 --frames 500 --fps 50

Benchmark mode: --rigs 4 pushes into 4 stores at once (one thread each) and prints each rig's rate;
--json prints the figures as JSON.
"""
import argparse
import http.client
import json
import struct
import sys
import threading
import time
import urllib.parse

import numpy as np


def record_parts(frame, frame_number, frame_time, extra=None):
    """One wire-format record as (header bytes, pixel buffer): header length (uint32, big-endian) + JSON
    header (frame_number, frame_time, payload_length: all required by the server, frame_time finite),
    then the raw pixels (C order, little-endian dtype, BGR for colour: an OpenCV/imgstore image).
    The pixels are a view of the array, not a copy."""
    frame_time = float(frame_time)
    if frame_time != frame_time or frame_time in (float("inf"), float("-inf")):
        raise ValueError("frame_time must be finite, got %r" % frame_time)
    pixels = np.ascontiguousarray(frame, dtype=frame.dtype.newbyteorder("<"))
    header = {"frame_number": int(frame_number), "frame_time": frame_time,
              "payload_length": pixels.nbytes, "shape": list(pixels.shape)}
    if extra:
        header["extra"] = extra
    h = json.dumps(header, allow_nan=False).encode("utf-8")
    return struct.pack(">I", len(h)) + h, memoryview(pixels).cast("B")


def record(frame, frame_number, frame_time, extra=None):
    """One wire-format record as bytes (e.g. for a WebSocket binary message)."""
    head, pixels = record_parts(frame, frame_number, frame_time, extra)
    return head + pixels.tobytes()


def barcode(number, shape, dtype=np.uint8):
    """A frame whose 16 vertical bands spell the frame number (what the Java tests decode)."""
    h, w = shape[0], shape[1]
    bits = np.array([(number >> (15 - b)) & 1 for b in range(16)], dtype=bool)
    cols = bits[(np.arange(w) * 16) // w]
    hi = 255 if dtype == np.uint8 else 60000
    row = np.where(cols, hi, 0).astype(dtype)
    img = np.broadcast_to(row, (h, w)).copy()
    if len(shape) == 3:
        img = np.dstack([img, img, hi - img])  # B, G carry the bands, R the inverse
    return img


class Client:
    def __init__(self, url, token=None):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 80
        self.headers = {"Authorization": "Bearer " + token} if token else {}

    def _conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def request(self, method, path, body=None, headers=None, expect=(200,)):
        c = self._conn()
        hdrs = dict(self.headers)
        hdrs.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        c.close()
        if r.status not in expect:
            raise RuntimeError("%s %s -> %d %s" % (method, path, r.status, data.decode(errors="replace")))
        return json.loads(data) if data else None

    def create(self, path, fmt, shape, dtype="uint8", chunksize=None, metadata=None):
        body = {"path": path, "format": fmt, "imgshape": list(shape), "imgdtype": dtype,
                "user_metadata": metadata or {}}
        if chunksize:
            body["chunksize"] = chunksize
        return self.request("POST", "/stores", body, expect=(201,))

    def push(self, store_id, records):
        """Streams records (an iterable of (header, pixels) pairs from record_parts) in one chunked POST,
        one HTTP chunk per record, without copying the pixels; returns the server's answer."""
        c = self._conn()
        c.putrequest("POST", "/stores/%s/frames" % urllib.parse.quote(store_id, safe=""))
        for k, v in self.headers.items():
            c.putheader(k, v)
        c.putheader("Content-Type", "application/x-imgstore-frames")
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        sock = c.sock
        try:
            for head, pixels in records:
                sock.sendall(b"%X\r\n" % (len(head) + len(pixels)) + head)
                sock.sendall(pixels)
                sock.sendall(b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server stopped reading (it answers why below)
        r = c.getresponse()
        data = json.loads(r.read())
        c.close()
        if r.status != 200:
            raise RuntimeError("push -> %d %s" % (r.status, data))
        return data

    def close(self, store_id):
        return self.request("POST", "/stores/%s/close" % urllib.parse.quote(store_id, safe=""))


def rig(client, args, index, results):
    path = args.path if args.rigs == 1 else "%s_rig%d" % (args.path, index)
    shape = tuple(args.shape)
    dtype = np.dtype(args.dtype)
    store = client.create(path, args.format, shape, args.dtype, args.chunksize, {"rig": index})
    # a few distinct frames, made once: the benchmark measures transport and writing, not numpy
    frames = [barcode(n, shape, dtype) for n in range(min(args.frames, 16))] if args.barcode else \
        [np.random.default_rng(n).integers(0, 255, shape, dtype=np.uint8).astype(dtype) for n in range(4)]
    period = 1.0 / args.fps if args.fps else 0.0

    def records():
        t0 = time.time()
        for n in range(args.frames):
            if period:
                delay = t0 + n * period - time.time()
                if delay > 0:
                    time.sleep(delay)
            frame = barcode(n, shape, dtype) if args.barcode and n >= len(frames) else frames[n % len(frames)]
            yield record_parts(frame, n, time.time())

    t = time.perf_counter()
    answer = client.push(store["id"], records())
    elapsed = time.perf_counter() - t
    if not args.keep_open:
        client.close(store["id"])
    results[index] = {"store": store["id"], "frames": answer["frames_written"], "seconds": round(elapsed, 3),
                      "fps": round(answer["frames_written"] / elapsed, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--token", help="bearer token (a write token of imgstore.security.tokens, see docs/security.md)")
    p.add_argument("--path", default="rig1/exp_%s" % time.strftime("%Y%m%d_%H%M%S"))
    p.add_argument("--format", default="avc1/mp4")
    p.add_argument("--shape", type=int, nargs="+", default=[1200, 1920], help="h w [3]")
    p.add_argument("--dtype", default="uint8")
    p.add_argument("--chunksize", type=int)
    p.add_argument("--frames", type=int, default=250)
    p.add_argument("--fps", type=float, default=0, help="frames a second (0: as fast as the server takes them)")
    p.add_argument("--rigs", type=int, default=1, help="stores pushed at once (benchmark)")
    p.add_argument("--barcode", action="store_true", help="every frame carries its number as a barcode")
    p.add_argument("--keep-open", action="store_true", help="do not close the store(s)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    client = Client(args.url, args.token)
    results = [None] * args.rigs
    threads = [threading.Thread(target=rig, args=(client, args, i, results)) for i in range(args.rigs)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    if any(r is None for r in results):
        sys.exit("a rig failed")
    total = sum(r["frames"] for r in results)
    summary = {"rigs": results, "total_fps": round(total / wall, 1), "wall_seconds": round(wall, 3)}
    if args.json:
        print(json.dumps(summary))
    else:
        for r in results:
            print("%(store)s: %(frames)d frames in %(seconds).2f s = %(fps).1f frames/s" % r)
        print("total: %.1f frames/s" % summary["total_fps"])


if __name__ == "__main__":
    main()
