package io.imgstore.format.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds {@link S3Client}s from the AWS SDK for Java v2's standard configuration, which the SDK
 * reads itself: the endpoint from {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (system
 * properties {@code aws.endpointUrlS3} / {@code aws.endpointUrl}, profile {@code endpoint_url}),
 * the region from {@code AWS_REGION} ({@code aws.region}, profile), credentials from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles ({@code AWS_PROFILE}), web
 * identity, container and instance credentials (the default chain). On top of it:
 * <ul>
 *   <li>path-style access ({@code http://host/bucket/key} instead of {@code http://bucket.host/key}),
 *       for servers without virtual-host buckets: system property {@value #PATH_STYLE_PROPERTY} or
 *       environment variable {@value #PATH_STYLE_ENV} = {@code true};</li>
 *   <li>a region of {@code us-east-1} when none is configured (S3-compatible servers mostly ignore
 *       it, and the SDK refuses to build a client without one);</li>
 *   <li>request checksums and response checksum validation only where S3 requires them, unless
 *       {@code AWS_REQUEST_CHECKSUM_CALCULATION} / {@code AWS_RESPONSE_CHECKSUM_VALIDATION} say
 *       otherwise: the SDK's default (CRC32 trailers in aws-chunked uploads) is refused by many
 *       S3-compatible servers, and ranged GETs cannot be validated anyway.</li>
 * </ul>
 * The HTTP client is the SDK's {@code url-connection-client} (see pom.xml for why).
 */
public final class S3Clients {

    /** System property that switches path-style access on ({@code true}/{@code false}). */
    public static final String PATH_STYLE_PROPERTY = "imgstore.s3.path-style-access";

    /** Environment variable that switches path-style access on, when the property is not set. */
    public static final String PATH_STYLE_ENV = "IMGSTORE_S3_PATH_STYLE_ACCESS";

    private static final Region FALLBACK_REGION = Region.US_EAST_1;

    private S3Clients() {
    }

    /** A client configured entirely from the environment (see the class comment). */
    public static S3Client fromEnvironment() {
        return standard(pathStyleFromEnvironment()).build();
    }

    /**
     * The path-style switch: the system property, else the environment variable, else false.
     *
     * @throws IllegalArgumentException for a value other than true/false
     */
    public static boolean pathStyleFromEnvironment() {
        String v = System.getProperty(PATH_STYLE_PROPERTY);
        String source = PATH_STYLE_PROPERTY;
        if (v == null) {
            v = System.getenv(PATH_STYLE_ENV);
            source = PATH_STYLE_ENV;
        }
        return parseBoolean(v, source);
    }

    static boolean parseBoolean(String v, String source) {
        if (v == null || v.isBlank()) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(source + " must be true or false");
        };
    }

    /**
     * A builder with the SDK's standard configuration and our defaults (HTTP client, region
     * fallback, checksum policy, path style); callers may override anything before {@code build()}.
     */
    public static S3ClientBuilder standard(boolean pathStyle) {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .forcePathStyle(pathStyle);
        if (!regionConfigured()) {
            b.region(FALLBACK_REGION);
        }
        if (SdkSystemSetting.AWS_REQUEST_CHECKSUM_CALCULATION.getStringValue().isEmpty()) {
            b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        }
        if (SdkSystemSetting.AWS_RESPONSE_CHECKSUM_VALIDATION.getStringValue().isEmpty()) {
            b.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b;
    }

    /**
     * A client for an explicit endpoint and static credentials (tests, tools), path-style or not;
     * nothing is read from the environment but the checksum settings.
     */
    public static S3Client forEndpoint(URI endpoint, String region, String accessKeyId, String secretAccessKey,
            boolean pathStyle) {
        return standard(pathStyle)
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
                .build();
    }

    /**
     * True if AWS_REGION / aws.region or the profile names a region. Deliberately not the whole
     * default chain, whose last step asks the EC2 instance metadata service (a network timeout
     * off EC2).
     */
    private static boolean regionConfigured() {
        try {
            if (new SystemSettingsRegionProvider().getRegion() != null) {
                return true;
            }
        } catch (SdkClientException e) {
            // not in the environment; try the profile
        }
        try {
            return new AwsProfileRegionProvider().getRegion() != null;
        } catch (SdkClientException | IllegalStateException e) {
            return false;
        }
    }
}
