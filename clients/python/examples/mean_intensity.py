#!/usr/bin/env python3
"""Mean intensity per frame: an analysis written for imgstore, that runs unchanged on a remote store.

    python3 mean_intensity.py path/to/store            # local, with Python imgstore
    python3 mean_intensity.py http://host:8080/stores/<id>   # remote, with imgstore_client

The only difference is how the store is opened (``open_store``); ``analyse`` is plain imgstore code.
Prints CSV: frame_number,frame_time,mean.
"""
import sys

import numpy as np


def open_store(where):
    if where.startswith(("http://", "https://")):
        import imgstore_client
        return imgstore_client.open(where)          # was: imgstore.new_for_filename(path)
    import imgstore
    return imgstore.new_for_filename(where)


def analyse(store, out=sys.stdout):
    md = store.get_frame_metadata()
    out.write("frame_number,frame_time,mean\n")
    img, (frame_number, frame_time) = store.get_image(md["frame_number"][0])
    n = 0
    while True:
        out.write("%d,%r,%r\n" % (frame_number, float(frame_time), float(np.mean(img, dtype=np.float64))))
        n += 1
        try:
            img, (frame_number, frame_time) = store.get_next_image()
        except EOFError:
            break
    assert n == store.frame_count, (n, store.frame_count)
    return n


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    store = open_store(argv[1])
    try:
        analyse(store)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
