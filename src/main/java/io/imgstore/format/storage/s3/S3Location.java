package io.imgstore.format.storage.s3;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A store root in object storage: {@code s3://bucket/prefix} (the prefix may be empty or span
 * several segments). Parsing treats the text as hostile: the bucket must be a valid S3 bucket
 * name (3-63 of {@code a-z 0-9 . -}, starting and ending with a letter or digit, no {@code ..},
 * not an IPv4 address), and the prefix is made of non-empty segments that are not {@code .} or
 * {@code ..} and carry no control character, backslash, {@code ?} or {@code #}; the whole text is at
 * most {@value #MAX_LENGTH} characters, and keys built from it at most {@value #MAX_KEY_BYTES}
 * UTF-8 bytes (S3's limit).
 *
 * @param bucket the bucket name
 * @param prefix the key prefix without leading or trailing '/', {@code ""} for the bucket's top
 */
public record S3Location(String bucket, String prefix) {

    /** Longest accepted {@code s3://} text. */
    public static final int MAX_LENGTH = 768;

    /** Longest object key S3 accepts, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final String SCHEME = "s3://";

    public S3Location {
        checkBucket(bucket);
        if (prefix == null) {
            throw new IllegalArgumentException("null prefix");
        }
        if (!prefix.isEmpty()) {
            for (String segment : prefix.split("/", -1)) {
                checkSegment(segment, prefix);
            }
        }
        if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new IllegalArgumentException("S3 prefix longer than " + MAX_LENGTH + " bytes");
        }
    }

    /** True if the text looks like an object-storage root ({@code s3://...}), valid or not. */
    public static boolean isS3(String text) {
        return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/prefix[/]}.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing control characters)
     */
    public static S3Location parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no S3 location given");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("S3 location longer than " + MAX_LENGTH + " characters");
        }
        if (!text.startsWith(SCHEME)) {
            throw new IllegalArgumentException("an S3 location starts with s3://");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
            if (prefix.isEmpty() || prefix.endsWith("/")) {
                throw new IllegalArgumentException("empty segment in the S3 prefix");
            }
        }
        return new S3Location(bucket, prefix);
    }

    /**
     * The key of a path below this location, given as '/'-separated segments relative to it
     * ({@code ""} for the prefix itself), checked like the prefix.
     */
    public String key(String relative) {
        if (relative == null) {
            throw new IllegalArgumentException("null key");
        }
        if (relative.isEmpty()) {
            return prefix;
        }
        for (String segment : relative.split("/", -1)) {
            checkSegment(segment, relative);
        }
        String key = prefix.isEmpty() ? relative : prefix + "/" + relative;
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("S3 key longer than " + MAX_KEY_BYTES + " bytes");
        }
        return key;
    }

    /**
     * The synthetic absolute path that stands for this location in the library:
     * {@code /s3/<bucket>/<prefix>}.
     */
    public Path anchor() {
        Path p = Path.of("/s3", bucket);
        return prefix.isEmpty() ? p : p.resolve(prefix);
    }

    /** True if {@code segment} is acceptable as one element of a key (used for listed names too). */
    static boolean validSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '?' || c == '#' || c == '/'
                    || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }

    private static void checkSegment(String segment, String whole) {
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("empty segment in the S3 key '" + printable(whole) + "'");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("'.' or '..' in the S3 key '" + printable(whole) + "'");
        }
        if (!validSegment(segment)) {
            throw new IllegalArgumentException(
                    "control character, '\\', '?' or '#' in the S3 key '" + printable(whole) + "'");
        }
    }

    private static void checkBucket(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in the S3 location");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IPV4.matcher(bucket).matches()
                || bucket.contains(".-") || bucket.contains("-.")) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + printable(bucket)
                    + "' (3-63 characters of a-z, 0-9, '.', '-', starting and ending with a letter or digit)");
        }
    }

    /** The text with control characters replaced, and cut to 100 characters, for error messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ? '?' : c);
        }
        return s.length() > 100 ? b + "..." : b.toString();
    }

    @Override
    public String toString() {
        return prefix.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + prefix;
    }
}
