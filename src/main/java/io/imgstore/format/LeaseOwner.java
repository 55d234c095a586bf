package io.imgstore.format;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who holds a lease: {@code host:boot:pid:random}. The host name and the kernel's boot id (shared by
 * the containers of one machine, different on every machine and after every reboot) tell whether an
 * owner ran on this machine in this UTS namespace; the pid whether it still runs; the random part
 * tells two writers of one process apart. Package-private: see {@link WriterLease}.
 *
 * @param host name of the host (container) the owner ran on, {@code [A-Za-z0-9.-]} only
 * @param boot first 8 hex digits of {@code /proc/sys/kernel/random/boot_id}, or {@code -}
 * @param pid  process id of the owner
 * @param nonce random part
 */
record LeaseOwner(String host, String boot, long pid, String nonce) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HOST = sanitize(hostName());
    private static final String BOOT = bootId();

    /** A new owner id for a writer of this process. */
    static LeaseOwner newOwner() {
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        return new LeaseOwner(HOST, BOOT, ProcessHandle.current().pid(), HexFormat.of().formatHex(r));
    }

    String id() {
        return host + ":" + boot + ":" + pid + ":" + nonce;
    }

    /** The owner of an id written by {@link #id()}; empty for anything else. */
    static Optional<LeaseOwner> parse(String id) {
        String[] p = id.split(":", -1);
        if (p.length != 4) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LeaseOwner(p[0], p[1], Long.parseLong(p[2]), p[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * True when this owner certainly died: it ran on this machine (same host name and boot id, so the
     * same kernel and, in practice, the same pid namespace) and its pid is ours (a previous process of
     * a restarted container) or runs no more. Never true for another machine or an unknown boot id.
     */
    boolean deadOnThisHost() {
        if (!host.equals(HOST) || "-".equals(boot) || !boot.equals(BOOT)) {
            return false;
        }
        long self = ProcessHandle.current().pid();
        return pid == self || ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static String sanitize(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9.-]", "_");
        return clean.isEmpty() ? "unknown-host" : clean.substring(0, Math.min(clean.length(), 128));
    }

    private static String bootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip().replace("-", "");
            return id.length() >= 8 && id.matches("[0-9a-f]+") ? id.substring(0, 8) : "-";
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }
}
