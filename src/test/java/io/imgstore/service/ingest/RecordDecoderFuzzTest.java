package io.imgstore.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.imgstore.format.PixelType;
import io.imgstore.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever bytes a client sends, the record decoder ends in {@link MalformedRecordException}
 * or delivers well-formed frames (the store's size, finite times), allocates within a bound set by
 * the limits (not by what a header claims), and gives its buffer budget back.
 */
class RecordDecoderFuzzTest {

    private static final int H = 48;
    private static final int W = 64;
    private static final long MAX_ALLOCATED = 16L << 20;

    private static List<byte[]> seeds() {
        byte[] png = "not really a png, but the decoder must not care".getBytes(StandardCharsets.UTF_8);
        return List.of(
                Records.frames(0, 2, H, W, 1),
                Records.concat(Records.raw(5, 1.7e9, H, W, 1, Map.of("temperature", 21.5, "tags", List.of(1, 2))),
                        Records.frames(6, 7, H, W, 1)),
                Records.record(Records.header(9, 2.5, null, null, H * W), new byte[H * W]),
                Records.record("{\"frame_number\": 3, \"frame_time\": 1.0, \"payload_length\": 3072, \"shape\": [48, 64]}"
                        .getBytes(StandardCharsets.UTF_8), new byte[H * W]),
                Records.record(Records.header(1, 1.0, null, "png", png.length), png));
    }

    /** Loads the codec natives and classes first: their one-off allocations are not the decoder's. */
    private static void warmUp(List<byte[]> seeds) {
        for (byte[] seed : seeds) {
            BufferBudget b = new BufferBudget(1 << 20);
            try {
                new RecordDecoder(new int[] {H, W}, PixelType.UINT8, 4096, 1 << 20, b)
                        .readFrom(new ByteArrayInputStream(seed), rec -> b.release(rec.heldBytes()));
            } catch (Exception | AssertionError e) {
                // the png seed is refused: that is the point
            }
        }
    }

    @Test
    void anyInputEndsInMalformedRecordOrGoodFramesWithinBoundedMemory() {
        List<byte[]> seeds = seeds();
        warmUp(seeds);
        Map<Fuzz.Outcome, Integer> outcomes = new EnumMap<>(Fuzz.Outcome.class);
        Fuzz.forAll("record decoder", 1000, (r, i) -> {
            byte[] input = Fuzz.input(seeds, r);
            BufferBudget budget = new BufferBudget(1 << 20);
            RecordDecoder d = new RecordDecoder(new int[] {H, W}, PixelType.UINT8, 4096, 1 << 20, 1 << 20, 1 << 16, budget);
            List<FrameRecord> got = new ArrayList<>();
            boolean fragments = r.nextBoolean();
            int step = 1 + r.nextInt(700);
            Fuzz.Outcome o = Fuzz.check("record decoder", MAX_ALLOCATED, () -> {
                if (fragments) {
                    for (int p = 0; p < input.length; p += step) {
                        d.feed(ByteBuffer.wrap(input, p, Math.min(step, input.length - p)), got::add);
                    }
                } else {
                    d.readFrom(new ByteArrayInputStream(input), got::add);
                }
            }, MalformedRecordException.class);
            outcomes.merge(o, 1, Integer::sum);
            d.abort();
            for (FrameRecord rec : got) {
                assertThat(rec.image().height()).isEqualTo(H);
                assertThat(rec.image().width()).isEqualTo(W);
                assertThat(rec.image().data()).hasSize(H * W);
                assertThat(Double.isFinite(rec.frameTime())).as("frame_time of %s", rec.frameNumber()).isTrue();
                budget.release(rec.heldBytes());
            }
            assertThat(budget.heldBytes()).isZero();
        });
        // the inputs reach both ends: some decode, many are refused
        assertThat(outcomes.getOrDefault(Fuzz.Outcome.OK, 0)).isGreaterThan(20);
        assertThat(outcomes.getOrDefault(Fuzz.Outcome.REJECTED, 0)).isGreaterThan(200);
    }
}
