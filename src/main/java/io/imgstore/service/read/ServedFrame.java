package io.imgstore.service.read;

import io.imgstore.format.FrameInfo;
import org.springframework.http.MediaType;

/**
 * A frame ready to send.
 *
 * @param info      where the frame is in its store
 * @param etag      strong ETag (quoted) for frames of closed stores, null for stores being written
 * @param immutable the store is closed: its frames never change
 * @param mediaType the representation's type
 * @param body      the encoded frame, or null when the client's copy is current ({@code 304})
 */
record ServedFrame(FrameInfo info, String etag, boolean immutable, MediaType mediaType, byte[] body) {

    boolean notModified() {
        return body == null;
    }
}
