"""The example analysis (written for imgstore) runs unchanged on a remote store, and gives the same
numbers as numpy on the frames and as Python imgstore (the reference 0.4.0) reading the store locally."""
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import CI, CLIENT, REPO, draw_frame

EXAMPLE = CLIENT / "examples" / "mean_intensity.py"
REFERENCE = Path(os.environ.get("IMGSTORE_REFERENCE") or REPO.parent / "shared" / "reference" / "imgstore-0.4.0")


def run(arg, extra_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(p) for p in extra_path]))
    r = subprocess.run([sys.executable, str(EXAMPLE), arg], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def parse(csv):
    lines = csv.strip().splitlines()
    assert lines[0] == "frame_number,frame_time,mean"
    return [(int(a), float(b), float(c)) for a, b, c in (line.split(",") for line in lines[1:])]


def test_example_remote_matches_numpy(stores):
    out = parse(run(stores.server.url + "/stores/" + stores.npy.store_id, [CLIENT]))
    assert [n for n, _, _ in out] == stores.npy_numbers
    for n, t, m in out:
        assert m == float(np.mean(draw_frame(n, (32, 160, 3)), dtype=np.float64))


def test_example_remote_matches_local_imgstore(stores):
    if not (REFERENCE / "imgstore" / "__init__.py").is_file():
        msg = "no reference imgstore at %s (set IMGSTORE_REFERENCE)" % REFERENCE
        if CI:
            pytest.fail(msg)
        pytest.skip(msg)
    for w in (stores.npy, stores.mp4):
        remote = run(stores.server.url + "/stores/" + w.store_id, [CLIENT])
        local = run(str(stores.server.root / w.summary["path"]), [REFERENCE])
        r, l = parse(remote), parse(local)
        assert [x[:2] for x in r] == [x[:2] for x in l]
        if w is stores.npy:
            assert r == l  # lossless: bit for bit
        else:  # video: our decoder and OpenCV's may differ by rounding
            assert np.allclose([x[2] for x in r], [x[2] for x in l], atol=1.0)
