package io.imgstore.format;

/** A decoded image together with its {@link FrameInfo}. */
public record Frame(Image image, FrameInfo info) {

    public long frameNumber() {
        return info.frameNumber();
    }

    public long frameIndex() {
        return info.frameIndex();
    }

    public double frameTime() {
        return info.frameTime();
    }
}
