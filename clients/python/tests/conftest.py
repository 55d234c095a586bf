"""Session fixtures: the packaged jar serving a temporary root, and stores written through the client."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT = HERE.parent
REPO = CLIENT.parent.parent
sys.path.insert(0, str(CLIENT))  # the package under test, also when not installed

import imgstore_client  # noqa: E402

CI = os.environ.get("CI", "").lower() == "true"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jar_path():
    return Path(os.environ.get("IMGSTORE_JAR") or REPO / "target" / "imgstore.jar")


class Server:
    def __init__(self, root, port=None):
        self.root = Path(root)
        self.port = port or free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self.start_args = []
        self.log = self.root.parent / ("server-%d.log" % self.port)

    def start(self, timeout=180):
        java = shutil.which("java") or "java"
        self.proc = subprocess.Popen(
            [java, "-jar", str(jar_path()), "--server.port=%d" % self.port, "--server.address=127.0.0.1",
             "--imgstore.root=%s" % self.root, "--imgstore.demo=false"] + list(self.start_args),
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s; log:\n%s" % (self.proc.returncode, self.tail()))
            try:
                if requests.get(self.url + "/actuator/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError("server did not start in %ss; log:\n%s" % (timeout, self.tail()))

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def tail(self):
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    jar = jar_path()
    if not jar.is_file():
        msg = "no jar at %s: build it (./mvnw -B package -DskipTests) or set IMGSTORE_JAR" % jar
        if CI or os.environ.get("IMGSTORE_JAR"):
            pytest.fail(msg)
        pytest.skip(msg)
    root = tmp_path_factory.mktemp("root")
    s = Server(root).start()
    yield s
    s.stop()


# -- barcode: frame number bits as black/white blocks in the top row ------------------------------
BITS = 16


def draw_frame(number, shape, block=8, dtype=np.uint8):
    """A frame showing ``number``'s low 16 bits as blocks (white = 1) along the top; the rest is a
    deterministic pattern so lossless stores can be compared bit for bit."""
    h, w = shape[0], shape[1]
    rng = np.random.default_rng(number & 0xFFFFFFFF)
    img = rng.integers(0, 256 if dtype == np.uint8 else 65536, size=shape, dtype=dtype)
    hi = 255 if dtype == np.uint8 else 65535
    for b in range(BITS):
        img[0:block, b * block:(b + 1) * block] = hi if (number >> b) & 1 else 0
    return img


def decode_frame(img, block=8):
    """The number drawn by draw_frame (tolerant: the mean of each block against half range)."""
    half = 128 if img.dtype == np.uint8 else 32768
    n = 0
    for b in range(BITS):
        m = img[1:block - 1, b * block + 1:(b + 1) * block - 1].mean()
        if m > half:
            n |= 1 << b
    return n


def write_store(url, path, fmt, shape, numbers, t0=1000.0, dt=0.04, dtype=np.uint8, block=8, chunksize=50,
                extra_every=0, **kw):
    w = imgstore_client.new_for_format(url, path=path, format=fmt, imgshape=shape, imgdtype=dtype,
                                       chunksize=chunksize, metadata={"rig": "test", "path": path}, **kw)
    for i, n in enumerate(numbers):
        w.add_image(draw_frame(n, shape, block, dtype), n, t0 + i * dt)
        if extra_every and i % extra_every == 0:
            w.add_extra_data(temperature=20.0 + i / 10.0, led=i % 2)
    w.close()
    return w


class Stores:
    pass


@pytest.fixture(scope="session")
def stores(server):
    """Stores written through the client's writer (the service's own ingest)."""
    s = Stores()
    s.server = server
    # colour npy (lossless) with gaps in the frame numbers and extra data
    s.npy_numbers = [10 + 3 * i for i in range(120)]
    s.npy = write_store(server.url, "t/npy_colour", "npy", (32, 160, 3), s.npy_numbers, extra_every=7)
    # gray png, 16 bit
    s.png_numbers = list(range(-5, 55))
    s.png = write_store(server.url, "t/png_gray16", "png", (24, 128), s.png_numbers, dtype=np.uint16)
    # lossy video: bigger blocks, tolerant decode
    s.mp4_numbers = list(range(0, 150))
    s.mp4 = write_store(server.url, "t/mp4_colour", "avc1/mp4", (64, 256, 3), s.mp4_numbers, block=16,
                        chunksize=60)
    return s
