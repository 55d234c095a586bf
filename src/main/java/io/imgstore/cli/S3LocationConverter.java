package io.imgstore.cli;

import io.imgstore.format.storage.s3.S3Location;
import picocli.CommandLine;

/** {@code s3://bucket/prefix} as a parameter: a bad location is a usage error (exit 2). */
final class S3LocationConverter implements CommandLine.ITypeConverter<S3Location> {

    @Override
    public S3Location convert(String value) {
        try {
            return S3Location.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
