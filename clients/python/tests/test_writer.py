"""The writing API over ingest: back-pressure, resume after dropped connections, exist_ok, tokens."""
import threading
import time

import numpy as np
import pytest

import imgstore_client
from conftest import Server, decode_frame, draw_frame
from proxy import Proxy


def check_store(url, store_id, numbers, shape, exact=True):
    with imgstore_client.open(url + "/stores/" + store_id) as s:
        md = s.get_frame_metadata()
        assert md["frame_number"] == numbers  # nothing lost, nothing twice, in order
        for n in numbers[:: max(1, len(numbers) // 40)] + [numbers[-1]]:
            img, (fn, _) = s.get_image(n)
            assert decode_frame(img) == n
            if exact:
                assert np.array_equal(img, draw_frame(n, shape))


@pytest.mark.parametrize("cuts", [[200_000], [50_000, 700_000, 10]])
def test_resume_after_dropped_connections(server, cuts):
    shape = (32, 160, 3)  # 15 kB a frame
    proxy = Proxy(server.port, cut_after=cuts)
    try:
        path = "t/resume_%d" % len(cuts)
        w = imgstore_client.new_for_format(proxy.url, path=path, format="npy", imgshape=shape, chunksize=40,
                                           ack_frames=120)
        numbers = list(range(300))
        for n in numbers:
            w.add_image(draw_frame(n, shape), n, 1000.0 + n / 25)
        w.close()
        assert proxy.cuts == len(cuts)
        assert w.reconnects >= len(cuts)
        assert w.summary["frame_count"] == len(numbers)
        check_store(server.url, w.store_id, numbers, shape)
    finally:
        proxy.close()


def test_back_pressure_blocks_add_image(server):
    shape = (512, 512, 3)  # 786 kB a frame
    proxy = Proxy(server.port)
    try:
        w = imgstore_client.new_for_format(proxy.url, path="t/backpressure", format="npy", imgshape=shape,
                                           chunksize=100, queue_frames=4)
        proxy.running.clear()  # the "server" stops reading
        done = []
        imgs = [draw_frame(n, shape) for n in range(3)]

        def produce():
            for n in range(60):
                w.add_image(imgs[n % 3], n, 1000.0 + n)
                done.append(n)

        t = threading.Thread(target=produce, daemon=True)
        t.start()
        time.sleep(3)
        blocked_at = len(done)
        assert t.is_alive() and blocked_at < 40, blocked_at  # queue + socket buffers, not all 60 frames
        proxy.running.set()
        t.join(120)
        assert not t.is_alive() and len(done) == 60
        w.close()
        with imgstore_client.open(server.url + "/stores/" + w.store_id) as s:
            assert s.get_frame_metadata()["frame_number"] == list(range(60))
    finally:
        proxy.close()


def test_extra_data_and_idle_camera(server):
    shape = (16, 128)
    w = imgstore_client.new_for_format(server.url, path="t/idle", format="png", imgshape=shape, chunksize=10,
                                       idle_seconds=0.2)
    for n in range(12):
        w.add_image(draw_frame(n, shape), n, 1000.0 + n)
        if n % 4 == 0:
            w.add_extra_data(stim=n)
            w.add_extra_data(led=1)  # merged into the same row
        if n == 5:
            time.sleep(1.0)  # an idle camera: the upload request ends and a new one starts
    w.close()
    with pytest.raises(ValueError):
        w.add_image(draw_frame(0, shape), 99, 0.0)
    with imgstore_client.open(server.url, store_id=w.store_id) as s:
        assert s.get_frame_metadata()["frame_number"] == list(range(12))
        extra = s.get_extra_data()
        rows = extra.to_dict("records") if hasattr(extra, "to_dict") else extra
        assert [(r["frame_number"], r["stim"], r["led"]) for r in rows] == [(0, 0, 1), (4, 4, 1), (8, 8, 1)]


def test_wrong_frames_are_refused_locally(server):
    w = imgstore_client.new_for_format(server.url, path="t/refuse", format="npy", imgshape=(8, 16))
    with pytest.raises(ValueError):
        w.add_image(np.zeros((8, 16, 3), np.uint8), 0, 0.0)
    with pytest.raises(ValueError):
        w.add_image(np.zeros((8, 16), np.uint16), 0, 0.0)
    with pytest.raises(ValueError):
        w.add_extra_data(x=1)  # no frame yet
    w.add_image(np.zeros((8, 16), np.uint8), 0, 0.0)
    w.close()


def test_exist_ok_continues_an_open_store(server):
    shape = (16, 128)
    a = imgstore_client.new_for_format(server.url, path="t/exist", format="npy", imgshape=shape)
    for n in range(5):
        a.add_image(draw_frame(n, shape), n, 1000.0 + n)
    a._flush_pending()
    a._put(imgstore_client.writer._CLOSE)  # a rig that died without closing: its frames were sent
    a._thread.join()
    with pytest.raises(imgstore_client.ImgStoreClientError):
        imgstore_client.new_for_format(server.url, path="t/exist", format="npy", imgshape=shape)
    with pytest.raises(imgstore_client.ImgStoreClientError):
        imgstore_client.new_for_format(server.url, path="t/exist", format="png", imgshape=shape, exist_ok=True)
    b = imgstore_client.new_for_format(server.url, path="t/exist", format="npy", imgshape=shape, exist_ok=True)
    assert b.store_id == a.store_id
    for n in range(5, 10):
        b.add_image(draw_frame(n, shape), n, 1000.0 + n)
    b.close()
    check_store(server.url, b.store_id, list(range(10)), shape)


TOKEN = "test-token-0123456789abcdef"


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    from conftest import jar_path
    if not jar_path().is_file():
        pytest.skip("no jar")
    root = tmp_path_factory.mktemp("secured")
    s = Server(root)
    import subprocess, shutil  # noqa: E401
    # same start as Server.start, with tokens and protected reads
    s.start_args = ["--imgstore.security.tokens.t.value=" + TOKEN, "--imgstore.security.tokens.t.scope=admin",
                    "--imgstore.security.protect-reads=true"]
    s.start()
    yield s
    s.stop()


def test_token(secured):
    shape = (16, 128)
    with pytest.raises(imgstore_client.ImgStoreClientError) as e:
        imgstore_client.new_for_format(secured.url, path="sec/a", format="npy", imgshape=shape)
    assert e.value.status == 401
    w = imgstore_client.new_for_format(secured.url, path="sec/a", format="npy", imgshape=shape, token=TOKEN)
    for n in range(3):
        w.add_image(draw_frame(n, shape), n, 1000.0 + n)
    w.close()
    with pytest.raises(imgstore_client.ImgStoreClientError) as e:
        imgstore_client.open(secured.url + "/stores/" + w.store_id)
    assert e.value.status == 401
    with imgstore_client.open(secured.url + "/stores/" + w.store_id, token=TOKEN) as s:
        assert s.get_image(2)[1][0] == 2


def test_resume_across_a_server_restart(tmp_path_factory):
    """The server is stopped (gracefully) in the middle of an upload and started again on the same
    port: the writer waits, resumes, and the store holds every frame once."""
    from conftest import jar_path
    if not jar_path().is_file():
        pytest.skip("no jar")
    srv = Server(tmp_path_factory.mktemp("restart")).start()
    shape = (32, 160, 3)
    try:
        w = imgstore_client.new_for_format(srv.url, path="t/restart", format="npy", imgshape=shape, chunksize=50,
                                           retry_timeout=240)
        numbers = list(range(400))
        for n in numbers:
            w.add_image(draw_frame(n, shape), n, 1000.0 + n / 25)
            if n == 150:
                srv.stop()  # graceful: the server closes the store and reopens it on the next start
                assert w._error is None
            if n == 160:
                srv.start()
            if n < 200:
                time.sleep(0.005)
        w.close()
        assert w.reconnects >= 1
        check_store(srv.url, w.store_id, numbers, shape)
    finally:
        srv.stop()
