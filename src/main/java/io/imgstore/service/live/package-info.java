/**
 * Watching a store while it is recorded: {@code GET /stores/{id}/frames/latest} and the
 * {@code /stores/{id}/live} WebSocket. Built on {@code ingest} (the writer's newest frame) and
 * {@code read} (negotiation and encoding); neither of them knows this package.
 */
package io.imgstore.service.live;
