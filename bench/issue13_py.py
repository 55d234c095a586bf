"""Python imgstore side of bench/issue13-http.sh (the baselines of issue #13's HTTP rows).

Run with Debian's python3 and the reference package on PYTHONPATH (see /work/shared/reference/README.md):

  issue13_py.py write DIR H W C FRAMES   write a camera-like avc1/mp4 store with Python imgstore
                                         (OpenCV's FFmpeg writer, its own keyframe interval)
  issue13_py.py serve ROOT PORT          plain HTTP server over imgstore: GET /stores/ID/frames/N
                                         [?format=png|jpeg|npy]; one reader per connection thread
  issue13_py.py inproc DIR N             N random get_image calls in-process: prints the median ms
"""
import io
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import cv2
import imgstore
import numpy as np


def write(path, h, w, c, frames):
    """Camera-like frames: frame-number bars in the top eighth, fixed noise texture, fresh noise +-4."""
    rng = np.random.default_rng(3)
    shape = (h, w) if c == 1 else (h, w, c)
    y, x = np.mgrid[0:h, 0:w]
    base = 128 + 50 * np.sin(x / 9.0) * np.cos(y / 13.0)
    if c > 1:
        base = np.stack([128 + 50 * np.sin(x / (9.0 + k)) * np.cos(y / 13.0) for k in range(c)], axis=2)
    texture = np.clip(base + rng.integers(-30, 31, size=shape), 0, 255).astype(np.int16)
    s = imgstore.new_for_format('avc1/mp4', mode='w', basedir=path, imgshape=shape, imgdtype='uint8',
                                chunksize=frames + 1)
    bars = h // 8
    t0 = time.time()
    for i in range(frames):
        img = np.clip(texture + rng.integers(-4, 5, size=shape), 0, 255).astype(np.uint8)
        img[:bars] = 0
        for b in range(32):
            if (i >> b) & 1:
                img[:bars, b * w // 32:(b + 1) * w // 32] = 255
        s.add_image(img, i, 1.7e9 + i / 25.0)
    s.close()
    print('wrote %s (%d frames) in %.1f s' % (path, frames, time.time() - t0))


def serve(root, port, plain=False):
    """plain=False: ThreadingHTTPServer, one imgstore reader per connection thread (uses both cores);
    plain=True: http.server's HTTPServer, one request at a time, one reader per store."""
    local = threading.local()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'  # keep-alive, as wrk expects

        def log_message(self, *args):
            pass

        def do_GET(self):
            u = urlparse(self.path)
            parts = u.path.strip('/').split('/')
            if len(parts) != 4 or parts[0] != 'stores' or parts[2] != 'frames':
                self.send_error(404)
                return
            stores = getattr(local, 'stores', None)
            if stores is None:
                stores = local.stores = {}
            s = stores.get(parts[1])
            if s is None:
                s = stores[parts[1]] = imgstore.new_for_filename('%s/%s' % (root, parts[1]))
            img, _ = s.get_image(frame_number=int(parts[3]))
            fmt = parse_qs(u.query).get('format', ['png'])[0]
            if fmt == 'npy':
                b = io.BytesIO()
                np.save(b, img)
                body, ctype = b.getvalue(), 'application/octet-stream'
            else:
                ext, ctype = ('.jpg', 'image/jpeg') if fmt == 'jpeg' else ('.png', 'image/png')
                body = cv2.imencode(ext, img)[1].tobytes()
            self.send_response(200)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    (HTTPServer if plain else ThreadingHTTPServer)(('127.0.0.1', port), Handler).serve_forever()


def inproc(path, n):
    s = imgstore.new_for_filename(path)
    count = s.frame_count
    s.get_image(frame_number=0)  # open the chunk (not timed)
    rnd = random.Random(1)
    ms = []
    for _ in range(n):
        f = rnd.randrange(count)
        t0 = time.perf_counter()
        s.get_image(frame_number=f)
        ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    print('in-process get_image, %d random frames of %d: median %.1f ms, p90 %.1f ms'
          % (n, count, ms[len(ms) // 2], ms[int(len(ms) * 0.9)]))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'write':
        write(sys.argv[2], *map(int, sys.argv[3:7]))
    elif cmd == 'serve':
        serve(sys.argv[2], int(sys.argv[3]))
    elif cmd == 'serve-plain':
        serve(sys.argv[2], int(sys.argv[3]), plain=True)
    elif cmd == 'inproc':
        inproc(sys.argv[2], int(sys.argv[3]))
