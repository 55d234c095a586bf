/**
 * Helpers shared by the whole test suite (and the benchmarks in {@code io.imgstore.bench}); each
 * exists once, here:
 * <ul>
 *   <li>{@link io.imgstore.testing.Ci}: the one CI switch ({@code CI=true}, any case) and
 *       {@link io.imgstore.testing.Ci#require}: what a test needs from the machine (Chromium,
 *       python3-numpy/opencv, the fixtures) skips the test when absent locally and fails it in
 *       CI;</li>
 *   <li>{@link io.imgstore.testing.Fixtures}: the reference stores written by Python imgstore in
 *       {@code ../shared/fixtures} (system property {@code imgstore.fixtures}), their manifests,
 *       and copies of them (the fixtures are never written to);</li>
 *   <li>{@link io.imgstore.testing.Barcode}: the frame-number barcode of every fixture and test
 *       frame, over main's {@code io.imgstore.format.FrameBarcode}, plus the stricter decoder of
 *       the codec tests, benchmark frames and the container tests' decoder of served PNGs;</li>
 *   <li>{@link io.imgstore.testing.HostileFiles}: stores with hostile files (oversized npy
 *       headers, zip bombs), as an attacker with write access to the root would leave them;</li>
 *   <li>{@link io.imgstore.testing.Fuzz}: the seeded fuzzing harness of the readers of untrusted
 *       bytes ({@code -Dimgstore.fuzz.seed=...} replays a run);</li>
 *   <li>{@link io.imgstore.testing.ServiceIntegrationTest}: the meta-annotation of the service's
 *       {@code *IntegrationTests} (whole application on a random port, tag {@code integration}).</li>
 * </ul>
 * Helpers that only one area uses stay next to its tests (e.g. {@code service.read.TestStores},
 * {@code service.viewer.Browser}, {@code service.security.RawHttp}).
 */
package io.imgstore.testing;
