package io.imgstore.format.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** imgstore's index semantics: first match for numbers, nearest with ties to the first frame. */
class StoreIndexTest {

    private static StoreIndex index(long[] numbers, double[] times, int chunksize) {
        List<ChunkIndex> chunks = new java.util.ArrayList<>();
        for (int c = 0; c * chunksize < numbers.length; c++) {
            int from = c * chunksize;
            int to = Math.min(numbers.length, from + chunksize);
            chunks.add(new ChunkIndex(c, java.util.Arrays.copyOfRange(numbers, from, to),
                    java.util.Arrays.copyOfRange(times, from, to)));
        }
        return new StoreIndex(chunks);
    }

    @Test
    void wrappedCounterFindsTheFirstFrameWithANumberAndTheNearestOnTies() {
        // counter wraps at 6000 -> 0; 3 repeats after the wrap
        long[] n = {5998, 5999, 0, 1, 2, 3, 3, 10};
        double[] t = {0, 1, 2, 3, 4, 5, 6, 7};
        StoreIndex idx = index(n, t, 3);
        assertThat(idx.indexOfNumber(3)).hasValue(5);
        assertThat(idx.indexOfNumber(5998)).hasValue(0);
        assertThat(idx.indexOfNumber(4)).isEmpty();
        assertThat(idx.indexOfNearestNumber(4)).isEqualTo(5);   // 3 (twice) and none of 5: first 3
        assertThat(idx.indexOfNearestNumber(6)).isEqualTo(5);   // |6-3| = 3 < |6-10| = 4
        assertThat(idx.indexOfNearestNumber(7)).isEqualTo(7);   // |7-10| = 3 < |7-3| = 4
        assertThat(idx.indexOfNearestNumber(1_000_000)).isEqualTo(1);
        assertThat(idx.chunkOf(5)).isEqualTo(1);
        assertThat(idx.positionInChunk(5)).isEqualTo(2);
        assertThat(idx.frameMin()).isZero();
        assertThat(idx.frameMax()).isEqualTo(5999);
    }

    @Test
    void nearestTimeTakesTheEarlierFrameOnTiesAndHandlesClockSteps() {
        StoreIndex mono = index(new long[] {1, 2, 3, 4}, new double[] {10, 20, 20, 30}, 10);
        assertThat(mono.indexOfNearestTime(15)).isEqualTo(0);  // tie 10 vs 20: the first frame
        assertThat(mono.indexOfNearestTime(21)).isEqualTo(1);  // 20 twice: the first of them
        assertThat(mono.indexOfNearestTime(-5)).isEqualTo(0);
        assertThat(mono.indexOfNearestTime(99)).isEqualTo(3);
        StoreIndex stepped = index(new long[] {1, 2, 3, 4}, new double[] {100, 101, 50, 51}, 10);
        assertThat(stepped.indexOfNearestTime(50.4)).isEqualTo(2);
        assertThat(stepped.indexOfNearestTime(100.6)).isEqualTo(1);
    }

    @Test
    void emptyChunksAreLeftOutOfTheChunkList() {
        StoreIndex idx = new StoreIndex(List.of(new ChunkIndex(0, new long[] {1, 2}, new double[] {1, 2}),
                new ChunkIndex(1, new long[0], new double[0]), new ChunkIndex(2, new long[] {3}, new double[] {3})));
        assertThat(idx.chunks()).containsExactly(0, 2);
        assertThat(idx.chunkOf(2)).isEqualTo(2);
        assertThat(idx.positionInChunk(2)).isZero();
    }
}
