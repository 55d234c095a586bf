"""iter_frames over the bulk endpoint GET /stores/{id}/frames (application/x-imgstore-frames).

The tests marked ``needs_bulk`` need the server's bulk endpoint (branch w2-bulk); against a server
without it they FAIL (never skip). The parser tests at the end use a local fake server and always run."""
import json
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

import imgstore_client
from conftest import decode_frame, draw_frame


def open_store(stores, w):
    return imgstore_client.open(stores.server.url + "/stores/" + w.store_id)


def test_needs_bulk_iter_frames_equals_get_image(stores):
    for w, numbers, block in ((stores.npy, stores.npy_numbers, 8), (stores.png, stores.png_numbers, 8),
                              (stores.mp4, stores.mp4_numbers, 16)):
        with open_store(stores, w) as s:
            got = list(s.iter_frames())
            assert [n for _, (n, _) in got] == numbers
            for img, (n, t) in got:
                ref, (rn, rt) = s.get_image(n)
                assert (rn, rt) == (n, t)
                assert img.dtype == ref.dtype and img.shape == ref.shape
                assert np.array_equal(img, ref), (w.store_id, n)
                assert decode_frame(img, block=block) == n & 0xFFFF


def test_needs_bulk_ranges(stores):
    numbers = stores.npy_numbers
    with open_store(stores, stores.npy) as s:
        sel = [n for _, (n, _) in s.iter_frames(from_=20, to=100)]
        assert sel == [n for n in numbers if 20 <= n <= 100]
        sel = [n for _, (n, _) in s.iter_frames(from_=numbers[0], to=numbers[-1], step=3)]
        assert sel == numbers  # numbers are 3 apart: every frame
        sel = [n for _, (n, _) in s.iter_frames(from_=numbers[0], to=numbers[-1], step=6)]
        assert sel == numbers[::2]
        sel = [n for _, (n, _) in s.iter_frames(index_from=1, index_to=20, step=5)]
        assert sel == [numbers[i] for i in (1, 6, 11, 16)]
        sel = [n for _, (n, _) in s.iter_frames(index_from=5, index_to=9)]
        assert sel == numbers[5:10]
        want = [numbers[7], numbers[2], numbers[50]]
        got = list(s.iter_frames(numbers=want))
        assert [n for _, (n, _) in got] == want
        for img, (n, _) in got:
            assert np.array_equal(img, draw_frame(n, (32, 160, 3)))
        assert img.flags.writeable  # like imgstore's arrays


def test_needs_bulk_long_lists_are_posted(stores):
    numbers = stores.npy_numbers
    want = [numbers[(i * 7) % len(numbers)] for i in range(3000)]  # ~12 KB as a comma list
    url = stores.server.url + "/stores/" + stores.npy.store_id
    # the URL cannot carry it (Tomcat's 8 KB request header limit)
    import requests
    assert requests.get(url + "/frames", params={"numbers": ",".join(map(str, want))}).status_code >= 400
    methods = []
    with imgstore_client.open(url) as s:
        s._session.hooks["response"].append(lambda r, *a, **k: methods.append(r.request.method))
        got = [(n, img) for img, (n, _) in s.iter_frames(numbers=want)]
        assert [n for n, _ in got] == want
        for n, img in got[:50]:
            assert np.array_equal(img, draw_frame(n, (32, 160, 3)))
        assert methods == ["POST"]
        # a short list still travels in the URL
        assert [n for _, (n, _) in s.iter_frames(numbers=want[:5])] == want[:5]
        assert methods == ["POST", "GET"]


# -- the stream parser against a fake bulk server (no bulk branch needed) ------------------------
def record(n, img, index):
    h = json.dumps({"frame_number": n, "frame_time": 1000.0 + n, "frame_index": index, "payload_length": img.nbytes,
                    "shape": list(img.shape), "dtype": str(img.dtype)}).encode()
    return struct.pack(">I", len(h)) + h + img.tobytes()


class Fake:
    def __init__(self, frames, gate=None, count=None):
        self.frames, self.gate = frames, gate
        self.count = len(frames) if count is None else count
        fake = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                if self.path.rstrip("/").endswith("/stores/fake"):
                    body = json.dumps({"id": "fake", "frame_count": len(fake.frames), "frame_min": 0,
                                       "frame_max": len(fake.frames) - 1, "imgshape": [4, 6, 3],
                                       "image_shape": [4, 6, 3], "imgdtype": "uint16"}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                assert self.headers["Accept"] == "application/x-imgstore-frames"
                self.send_response(200)
                self.send_header("Content-Type", "application/x-imgstore-frames")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("X-Frame-Count", str(fake.count))
                self.end_headers()
                for i, (n, img) in enumerate(fake.frames):
                    data = record(n, img, i)
                    for k in range(0, len(data), 7):  # records split across chunks at odd places
                        part = data[k:k + 7]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    self.wfile.flush()
                    if i == 0 and fake.gate is not None:
                        assert fake.gate.wait(10), "the client did not get frame 0 before the rest was sent"
                self.wfile.write(b"0\r\n\r\n")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d/stores/fake" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_parser_streams_records_one_at_a_time():
    rng = np.random.default_rng(1)
    frames = [(n, rng.integers(0, 65535, size=(4, 6, 3), dtype=np.uint16)) for n in range(5)]
    gate = threading.Event()
    fake = Fake(frames, gate)
    try:
        with imgstore_client.open(fake.url) as s:
            it = s.iter_frames()
            img, (n, t) = next(it)  # arrives while the server holds back the rest: streamed, not buffered
            gate.set()
            got = [(img, (n, t))] + list(it)
        assert [n for _, (n, _) in got] == list(range(5))
        for (img, (n, t)), (n0, ref) in zip(got, frames):
            assert img.dtype == np.uint16 and img.shape == (4, 6, 3)
            assert np.array_equal(img, ref) and t == 1000.0 + n0
    finally:
        fake.close()


def test_parser_reports_a_stream_cut_short():
    frames = [(n, np.full((4, 6, 3), n, dtype=np.uint16)) for n in range(3)]
    fake = Fake(frames, count=4)  # the server promised 4 frames and sent 3
    try:
        with imgstore_client.open(fake.url) as s:
            it = s.iter_frames()
            assert [n for _, (n, _) in (next(it), next(it), next(it))] == [0, 1, 2]
            with pytest.raises(IOError):
                next(it)
    finally:
        fake.close()
