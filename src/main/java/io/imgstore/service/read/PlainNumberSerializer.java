package io.imgstore.service.read;

import io.imgstore.format.FrameTimes;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a double as a plain JSON number with round-trip digits ({@code 1700300166.2857847},
 * not {@code 1.7003001662857847E9}), for frame times that people read.
 */
class PlainNumberSerializer extends ValueSerializer<Double> {

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializationContext ctxt) {
        if (value == null || !Double.isFinite(value)) {
            gen.writeNull();
        } else {
            gen.writeNumber(FrameTimes.format(value));
        }
    }
}
