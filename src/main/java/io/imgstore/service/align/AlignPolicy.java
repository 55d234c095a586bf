package io.imgstore.service.align;

import io.imgstore.service.web.BadRequestException;
import java.util.Locale;

/**
 * imgstore's {@code StoreAligner} missing-frame policies.
 *
 * <ul>
 *   <li>{@link #DROP}: only frame numbers every store has (the intersection).</li>
 *   <li>{@link #HOLD} ({@code zoh}): every frame number any store has (the union); a store lacking one
 *       shows its last frame with a smaller number (zero-order hold), black before its first.</li>
 *   <li>{@link #BLACK}: the union; a store lacking a number shows a black frame.</li>
 * </ul>
 * Unlike imgstore 0.4.0, whose {@code extract_common_frames} tests the previous call's policy (so
 * {@code drop} on a fresh aligner answers the union, and its {@code iter_imgs} then skips the
 * incomplete rows), the policy asked for is applied on the first call.
 */
enum AlignPolicy {
    DROP, HOLD, BLACK;

    static AlignPolicy parse(String s) {
        if (s == null || s.isBlank()) {
            return DROP;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "drop" -> DROP;
            case "hold", "zoh" -> HOLD;
            case "black" -> BLACK;
            default -> throw new BadRequestException("unknown policy '" + s + "' (drop, hold or black)");
        };
    }

    String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
