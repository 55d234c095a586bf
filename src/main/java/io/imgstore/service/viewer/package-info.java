/**
 * The browser viewer: the page itself is static ({@code src/main/resources/static}: {@code index.html}
 * and ES modules under {@code /viewer/}, uPlot from its WebJar) and talks only to the read and
 * ingest APIs; this package adds the little it needs from the server ({@code /viewer/config}, the
 * single-store mode of {@code imgstore view}).
 */
package io.imgstore.service.viewer;
