"""The reading API against stores written by the client's writer, compared with what was drawn and
with imgstore's semantics (exact / nearest / by index / sequential)."""
import numpy as np
import pytest

import imgstore_client
from conftest import decode_frame, draw_frame


def open_store(stores, w):
    return imgstore_client.open(stores.server.url + "/stores/" + w.store_id)


def nearest(values, q):
    """imgstore's index: smallest |value - q|, the first (lowest index) on ties."""
    values = np.asarray(values, dtype=float)
    return int(np.argmin(np.abs(values - q)))


def test_summary_attributes(stores):
    with open_store(stores, stores.npy) as s:
        assert s.frame_count == len(stores.npy_numbers) == len(s)
        assert s.frame_min == min(stores.npy_numbers)
        assert s.frame_max == max(stores.npy_numbers)
        assert tuple(s.image_shape) == (32, 160, 3)
        assert s.user_metadata == {"rig": "test", "path": "t/npy_colour"}
        assert np.isnan(s.frame_number)
    with imgstore_client.open(stores.server.url, store_id=stores.png.store_id) as s:
        assert tuple(s.image_shape) == (24, 128)


def test_every_frame_exact_lossless(stores):
    for w, numbers, shape, dtype in ((stores.npy, stores.npy_numbers, (32, 160, 3), np.uint8),
                                     (stores.png, stores.png_numbers, (24, 128), np.uint16)):
        with open_store(stores, w) as s:
            for i, n in enumerate(numbers):
                img, (fn, ft) = s.get_image(n)
                assert fn == n and ft == pytest.approx(1000.0 + i * 0.04, abs=1e-9)
                assert img.dtype == dtype and img.shape == shape
                assert np.array_equal(img, draw_frame(n, shape, dtype=dtype)), n
                assert s.frame_number == n
                img2, (fn2, _) = s.get_image(None, frame_index=i)
                assert fn2 == n and np.array_equal(img2, img)


def test_get_next_image_walks_the_store_then_eof(stores):
    with open_store(stores, stores.npy) as s:
        seen = []
        while True:
            try:
                img, (n, t) = s.get_next_image()
            except EOFError:
                break
            assert decode_frame(img) == n
            seen.append(n)
        assert seen == stores.npy_numbers
        # after a seek, next continues from there (as imgstore)
        s.get_image(stores.npy_numbers[10])
        assert s.get_next_image()[1][0] == stores.npy_numbers[11]


def test_exact_and_nearest_semantics(stores):
    numbers = stores.npy_numbers
    times = [1000.0 + i * 0.04 for i in range(len(numbers))]
    with open_store(stores, stores.npy) as s:
        with pytest.raises(ValueError):
            s.get_image(numbers[0] + 1)  # a gap
        with pytest.raises(ValueError):
            s.get_image(max(numbers) + 100)
        with pytest.raises(ValueError):
            s.get_image(None, frame_index=len(numbers))
        with pytest.raises(ValueError):
            s.get_image(None, frame_index=-1)
        for q in [-100, 0, 10, 11, 12, 13, 50, 51, 52, 1000, max(numbers) + 7]:
            img, (n, _) = s.get_image(q, exact_only=False)
            assert n == numbers[nearest(numbers, q)], q
            assert decode_frame(img) == n
        for q in [0.0, 999.0, 1000.0, 1000.05, 1000.5, 1002.01, 2000.0]:
            img, (n, t) = s.get_nearest_image(q)
            assert n == numbers[nearest(times, q)], q


def test_lossy_video_barcodes(stores):
    with open_store(stores, stores.mp4) as s:
        assert s.frame_count == len(stores.mp4_numbers)
        for n in stores.mp4_numbers[::7] + [stores.mp4_numbers[-1]]:
            img, (fn, _) = s.get_image(n)
            assert fn == n and img.shape == (64, 256, 3)
            assert decode_frame(img, block=16) == n


def test_frame_metadata_and_extra_data(stores):
    with open_store(stores, stores.npy) as s:
        md = s.get_frame_metadata()
        assert set(md) == {"frame_number", "frame_time"}
        assert md["frame_number"] == stores.npy_numbers
        assert md["frame_time"] == pytest.approx([1000.0 + i * 0.04 for i in range(len(stores.npy_numbers))])
        df = s.get_extra_data()
        rows = [i for i in range(len(stores.npy_numbers)) if i % 7 == 0]
        try:
            import pandas  # noqa: F401
            assert list(df["frame_index"]) == rows
            assert list(df["frame_number"]) == [stores.npy_numbers[i] for i in rows]
            assert list(df["temperature"]) == pytest.approx([20.0 + i / 10.0 for i in rows])
            assert list(df["led"]) == [i % 2 for i in rows]
        except ImportError:
            assert [r["frame_index"] for r in df] == rows
    with open_store(stores, stores.png) as s:
        assert s.get_extra_data() is None  # as imgstore without extra data


def test_unknown_store_is_an_error(server):
    with pytest.raises(imgstore_client.ImgStoreClientError) as e:
        imgstore_client.open(server.url + "/stores/no~such~store")
    assert e.value.status == 404
