package io.imgstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.storage.s3.StoreTransfer.Action;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TransferProgressTest {

    @Test
    void sizesForPeople() {
        assertThat(TransferProgress.size(0)).isEqualTo("0 B");
        assertThat(TransferProgress.size(1023)).isEqualTo("1023 B");
        assertThat(TransferProgress.size(1024)).isEqualTo("1.0 KiB");
        assertThat(TransferProgress.size(3L << 19)).isEqualTo("1.5 MiB");
        assertThat(TransferProgress.size(5L << 40)).isEqualTo("5.0 TiB");
        assertThat(TransferProgress.size(Long.MAX_VALUE)).isEqualTo("8192.0 PiB");
    }

    @Test
    void terminalShowsFilesAndBytesInPlace() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TransferProgress p = new TransferProgress(new PrintWriter(out), new PrintWriter(err), true, false, false, "upload");
        p.planned(2, 3072);
        p.bytes(1024);
        p.file("a", 1024, Action.COPIED);
        p.bytes(2048);
        p.file("metadata.yaml", 2048, Action.UNCHANGED);
        p.finish();
        assertThat(err.toString()).startsWith("\r").contains("upload: 2/2 files, 3.0 KiB/3.0 KiB (100%").endsWith("\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void dryRunListsAndQuietPrintsNothing() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TransferProgress p = new TransferProgress(new PrintWriter(out), new PrintWriter(err), true, false, true, "download");
        p.planned(1, 5);
        p.file("000000/000001.png", 5, Action.WOULD_COPY);
        p.finish();
        assertThat(out.toString()).isEqualTo("would download 000000/000001.png (5 bytes)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();

        TransferProgress q = new TransferProgress(new PrintWriter(out), new PrintWriter(err), true, true, false, "upload");
        q.planned(1, 5);
        q.bytes(5);
        q.file("x", 5, Action.COPIED);
        q.finish();
        assertThat(err.toString()).isEmpty();
    }
}
