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
 *   <li>{@link io.imgstore.testing.CameraFrames}: camera-like video frames (panned texture,
 *       seeded sensor noise, barcode strip) for tests and benchmarks that need GOPs of a camera's
 *       size;</li>
 *   <li>{@link io.imgstore.testing.HostileFiles}: stores with hostile files (oversized npy
 *       headers, zip bombs), as an attacker with write access to the root would leave them;</li>
 *   <li>{@link io.imgstore.testing.Fuzz}: the seeded fuzzing harness of the readers of untrusted
 *       bytes ({@code -Dimgstore.fuzz.seed=...} replays a run);</li>
 *   <li>{@link io.imgstore.testing.ServiceIntegrationTest}: the meta-annotation of the service's
 *       {@code *IntegrationTests} (whole application on a random port, tag {@code integration});</li>
 *   <li>{@link io.imgstore.testing.PackagedServer}: the packaged jar started as its own process
 *       (failsafe ITs), and {@link io.imgstore.testing.NginxCluster}: several of them behind a real
 *       nginx (Debian's package) rendered from {@code deploy/nginx};</li>
 *   <li>storage: {@link io.imgstore.testing.InMemoryStoreFiles} (a store under a path that does
 *       not exist on disk: proves every read goes through the seam),
 *       {@link io.imgstore.testing.CountingStoreFiles} (bytes and calls per read),
 *       {@link io.imgstore.testing.S3Proxies} (a real S3 server: S3Proxy in its own JVM, jar from
 *       Maven Central in {@code target/s3proxy}; it also points the SDK's standard chain at
 *       itself through system properties), {@link io.imgstore.testing.S3Stub} (an in-memory
 *       S3 subset that honours conditional puts, which S3Proxy 2.6.0 ignores), and
 *       {@link io.imgstore.testing.GopSizes} (the bytes of each GOP of a chunk, for the ranged-read
 *       accounting).</li>
 * </ul>
 * Helpers that only one area uses stay next to its tests (e.g. {@code service.read.TestStores},
 * {@code service.viewer.Browser}, {@code service.security.RawHttp}).
 */
package io.imgstore.testing;
