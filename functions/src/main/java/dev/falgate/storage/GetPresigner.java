package dev.falgate.storage;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigned GETs of our bucket (SigV4, query string), signed by the SDK's own {@code AwsV4HttpSigner}
 * (the classes every DynamoDB call has loaded already): the URL the SDK's {@code S3Presigner}
 * makes, character for character ({@code GetPresignerTest} compares them), without building the
 * presigner, whose S3 request pipeline (endpoint rules, XML protocol, interceptors) is the
 * largest part of the read function's cold start. Only for the addressing
 * a deployment and the local stack use (see {@link #forBucket}); anything else keeps the SDK's.
 */
public final class GetPresigner {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    /** Virtual-hostable without dots: the SDK's rule for a bucket in the host name over https. */
    private static final Pattern PLAIN_BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    /** Standard AWS partition regions (not China, GovCloud or ISO: other host names and rules). */
    private static final Pattern AWS_REGION = Pattern.compile("(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\\d");
    /** Settings that change the SDK's endpoint: with any of them, the SDK presigns. */
    private static final String[] ENDPOINT_SETTINGS = {"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
        "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "AWS_CONFIG_FILE", "AWS_PROFILE"};

    private final Supplier<AwsCredentials> credentials;
    private final String region;
    private final URI origin;
    private final String bucketPath;
    private final String bucket;
    private final Clock clock;

    private GetPresigner(Supplier<AwsCredentials> credentials, String region, URI base, String bucketPath, String bucket,
            Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.origin = URI.create(base.getScheme() + "://" + base.getRawAuthority());
        this.bucketPath = bucketPath;
        this.bucket = bucket;
        this.clock = clock;
    }

    /**
     * For {@code bucket} as the SDK would address it: path style under an endpoint override (the
     * local stack), or AWS's virtual-hosted name in a standard region. Empty for every other case
     * (a bucket name with dots, virtual hosts under an override, FIPS, dual-stack, profile files),
     * which the SDK's presigner keeps.
     */
    public static Optional<GetPresigner> forBucket(Supplier<AwsCredentials> credentials, String region,
            Optional<URI> endpointOverride, boolean pathStyle, String bucket, Map<String, String> env, Clock clock) {
        for (String setting : ENDPOINT_SETTINGS) {
            if (env.get(setting) != null || System.getProperty(setting) != null) {
                return Optional.empty();
            }
        }
        if (java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".aws", "config"))) {
            return Optional.empty();
        }
        if (endpointOverride.isPresent()) {
            URI e = endpointOverride.get();
            boolean plain = (e.getRawPath() == null || e.getRawPath().isEmpty()) && e.getRawQuery() == null;
            return pathStyle && plain && isPathSafe(bucket)
                    ? Optional.of(new GetPresigner(credentials, region, e, "/" + bucket, bucket, clock)) : Optional.empty();
        }
        if (pathStyle || !PLAIN_BUCKET.matcher(bucket).matches() || !AWS_REGION.matcher(region).matches()) {
            return Optional.empty();
        }
        String s3 = "us-east-1".equals(region) ? "s3.amazonaws.com" : "s3." + region + ".amazonaws.com";
        return Optional.of(new GetPresigner(credentials, region, URI.create("https://" + bucket + "." + s3), "", bucket, clock));
    }

    private static boolean isPathSafe(String bucket) {
        return PLAIN_BUCKET.matcher(bucket).matches() || bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    }

    /** A GET of {@code key} valid for {@code ttl}; with {@code contentDisposition}, the response's header (null: none). */
    public URL presignGet(String key, Duration ttl, String contentDisposition) {
        dev.falgate.config.UnsentCalls.presignedGet(bucket, key); // the least-privilege check sees what the SDK's interceptors would
        SdkHttpRequest.Builder get = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(origin)
                .encodedPath(bucketPath + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
        if (contentDisposition != null) {
            get.putRawQueryParameter("response-content-disposition", contentDisposition);
        }
        // S3's SigV4 flavour, as its presigner sets it: unsigned payload, no double encoding or path normalising
        SignedRequest signed = SIGNER.sign(r -> r.identity(credentials.get()).request(get.build())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, ttl)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        try {
            return signed.request().getUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
