#!/usr/bin/env python3
"""iter_frames against reading the raw bulk stream with plain requests.

    /usr/bin/python3 clients/python/bench/iter_frames_bench.py [--jar target/imgstore.jar] [--url URL]
        [--frames 1000] [--shape 512,512] [--format npy] [--repeat 5]

Without --url it starts the jar on a free port with a temporary root, writes a store of N frames
(through imgstore_client's writer) and reads it back: each round times (a) GET /frames with
Accept: application/x-imgstore-frames read by requests' iter_content(1 MiB), counting bytes,
(b) RemoteImgStore.iter_frames() building every numpy array. Prints the medians and the ratio.
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

import imgstore_client  # noqa: E402


def raw_read(url, store_id, frame_min, frame_max):
    t = time.perf_counter()
    c = time.process_time()
    n = 0
    with requests.get("%s/stores/%s/frames" % (url, store_id), params={"from": frame_min, "to": frame_max},
                      headers={"Accept": "application/x-imgstore-frames"}, stream=True) as r:
        r.raise_for_status()
        for chunk in r.iter_content(1 << 20):
            n += len(chunk)
    return time.perf_counter() - t, n, time.process_time() - c


def client_read(url, store_id):
    with imgstore_client.open(url + "/stores/" + store_id) as s:
        t = time.perf_counter()
        c = time.process_time()
        k = 0
        for img, (n, ft) in s.iter_frames():
            k += 1
        return time.perf_counter() - t, k, time.process_time() - c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=str(HERE.parent.parent.parent / "target" / "imgstore.jar"))
    ap.add_argument("--url")
    ap.add_argument("--store")
    ap.add_argument("--frames", type=int, default=1000)
    ap.add_argument("--shape", default="512,512")
    ap.add_argument("--format", default="npy")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    server = None
    url, store_id = a.url, a.store
    try:
        if url is None:
            import os
            from conftest import Server
            os.environ["IMGSTORE_JAR"] = a.jar
            server = Server(tempfile.mkdtemp(prefix="bench-root-")).start()
            url = server.url
        if store_id is None:
            shape = tuple(int(x) for x in a.shape.split(","))
            rng = np.random.default_rng(0)
            imgs = [rng.integers(0, 256, size=shape, dtype=np.uint8) for _ in range(8)]
            w = imgstore_client.new_for_format(url, path="bench/%d" % time.time_ns(), format=a.format,
                                               imgshape=shape, chunksize=500)
            t = time.perf_counter()
            for n in range(a.frames):
                w.add_image(imgs[n % 8], n, 1000.0 + n / 25)
            w.close()
            print("write: %d frames %s %s in %.2f s (%.0f frames/s)" % (
                a.frames, shape, a.format, time.perf_counter() - t, a.frames / (time.perf_counter() - t)))
            store_id = w.store_id
        with imgstore_client.open(url + "/stores/" + store_id) as s:
            fmin, fmax = s.frame_min, s.frame_max
        raw, cli, raw_cpu, cli_cpu = [], [], [], []
        for i in range(a.repeat + 1):  # round 0 warms up (server caches, JIT)
            tr, nbytes, cr = raw_read(url, store_id, fmin, fmax)
            tc, k, cc = client_read(url, store_id)
            if i:
                raw.append(tr)
                cli.append(tc)
                raw_cpu.append(cr)
                cli_cpu.append(cc)
        mr, mc = statistics.median(raw), statistics.median(cli)
        print("raw requests stream: median %.3f s (%.0f MB/s, %d bytes)" % (mr, nbytes / mr / 1e6, nbytes))
        print("iter_frames:         median %.3f s (%d frames, %.0f frames/s)" % (mc, k, k / mc))
        print("iter_frames / raw = %.3f (all rounds raw %s, client %s)" % (
            mc / mr, ["%.3f" % x for x in raw], ["%.3f" % x for x in cli]))
        # CPU time of this (client) process: what the client itself spends, far less sensitive than
        # wall time to the load of a shared machine (the server runs in another process)
        print("client-process CPU: raw median %.3f s, iter_frames median %.3f s, ratio %.3f; best %.3f / %.3f" % (
            statistics.median(raw_cpu), statistics.median(cli_cpu),
            statistics.median(cli_cpu) / statistics.median(raw_cpu), min(raw_cpu), min(cli_cpu)))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
