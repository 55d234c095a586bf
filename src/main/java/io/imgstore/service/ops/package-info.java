/**
 * Operations: what an operator sees of the running service besides the API: the start-up log block
 * ({@link io.imgstore.service.ops.StartupLog}), {@code /actuator/info}'s codec section
 * ({@link io.imgstore.service.ops.CodecInfoContributor}) and the {@code storeRoot} health component
 * ({@link io.imgstore.service.ops.StoreRootHealth}). See docs/deployment.md.
 */
package io.imgstore.service.ops;
