"""imgstore_client: a remote imgstore-java store with Python imgstore's API.

    store = imgstore_client.open("http://host:8080/stores/<id>")   # like imgstore.new_for_filename
    img, (frame_number, frame_time) = store.get_image(store.frame_min)
    for img, (n, t) in store.iter_frames():                          # one streamed request
        ...

    w = imgstore_client.new_for_format("http://host:8080", path="rig1/exp", format="npy",
                                       imgshape=(480, 640, 3), imgdtype="uint8", chunksize=100)
    w.add_image(img, frame_number, frame_time); w.add_extra_data(temperature=22.5); w.close()
"""
from ._http import ImgStoreClientError
from .reader import RemoteImgStore, open
from .writer import RemoteStoreWriter, new_for_format

new_for_filename = open  # so that `import imgstore_client as imgstore` reads the same

__version__ = "0.1.0"
__all__ = ["open", "new_for_filename", "new_for_format", "RemoteImgStore", "RemoteStoreWriter",
           "ImgStoreClientError"]
