package io.imgstore.format;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends extra-data records to the chunks' {@code .extra.json} files (a JSON array written as
 * records come: {@code [} first, {@code , } between records, {@code ]} when the chunk is done).
 * Package-private: part of {@link ImgStoreWriter}.
 */
final class ExtraDataAppender {

    private final StoreLayout layout;
    private Writer writer;
    private int chunk = -1;
    private volatile long maxBytesPerChunk = Long.MAX_VALUE;

    ExtraDataAppender(StoreLayout layout) {
        this.layout = layout;
    }

    void setMaxBytesPerChunk(long bytes) {
        this.maxBytesPerChunk = bytes;
    }

    /**
     * Appends a record (its JSON text) to the file of chunk {@code target}.
     *
     * @param targetFinished the target chunk is already finished: its file is closed again after the record
     * @throws ExtraDataTooLargeException when the file would outgrow the limit (nothing written)
     */
    void append(String text, int target, boolean targetFinished) {
        try {
            if (maxBytesPerChunk != Long.MAX_VALUE) {
                Path file = layout.extraJson(target);
                long existing = Files.isRegularFile(file) ? Files.size(file) : 0;
                long adding = text.getBytes(StandardCharsets.UTF_8).length + 2L;
                if (existing + adding > maxBytesPerChunk) {
                    throw new ExtraDataTooLargeException("extra data of chunk " + target + " would grow to "
                            + (existing + adding) + " bytes, more than the limit of " + maxBytesPerChunk
                            + " bytes per chunk; not recorded");
                }
            }
            if (writer != null && chunk != target) {
                close();
            }
            if (writer == null) {
                Path file = layout.extraJson(target);
                boolean append = Files.isRegularFile(file) && Files.size(file) > 0;
                if (append) {
                    // reopen a finished chunk's file: drop its closing bracket
                    String old = Files.readString(file, StandardCharsets.UTF_8).strip();
                    Files.writeString(file, old.endsWith("]") ? old.substring(0, old.length() - 1) : old);
                }
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                writer.write(append ? ", " : "[");
                chunk = target;
            } else {
                writer.write(", ");
            }
            writer.write(text);
            writer.flush();
            if (targetFinished) {
                close();
            }
        } catch (IOException e) {
            throw new ImgStoreException("cannot write extra data: " + e.getMessage(), e);
        }
    }

    /** Terminates the file of {@code finishedChunk} if it is the open one. */
    void chunkFinished(int finishedChunk) {
        if (writer != null && chunk == finishedChunk) {
            try {
                close();
            } catch (IOException e) {
                throw new ImgStoreException("cannot finish extra data: " + e.getMessage(), e);
            }
        }
    }

    /** Terminates the open file ({@code ]}). */
    void close() throws IOException {
        if (writer != null) {
            writer.write("]");
            writer.close();
            writer = null;
            chunk = -1;
        }
    }

    /** Closes the open file unterminated, as a crash leaves it (recovery terminates it). */
    void abandon() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
