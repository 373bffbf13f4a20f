package dev.falgate.storage;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Presigned GETs of our bucket (SigV4, query string), signed by hand: the URL the SDK's
 * {@code S3Presigner} makes, character for character ({@code GetPresignerTest} compares them),
 * without building the presigner, whose S3 request pipeline (endpoint rules, XML protocol,
 * interceptors) is the largest part of the read function's cold start. Only for the addressing
 * a deployment and the local stack use (see {@link #forBucket}); anything else keeps the SDK's.
 */
public final class GetPresigner {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Virtual-hostable without dots: the SDK's rule for a bucket in the host name over https. */
    private static final Pattern PLAIN_BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    /** Standard AWS partition regions (not China, GovCloud or ISO: other host names and rules). */
    private static final Pattern AWS_REGION = Pattern.compile("(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\\d");
    /** Settings that change the SDK's endpoint: with any of them, the SDK presigns. */
    private static final String[] ENDPOINT_SETTINGS = {"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
        "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "AWS_CONFIG_FILE", "AWS_PROFILE"};

    private final Supplier<AwsCredentials> credentials;
    private final String region;
    private final String origin;
    private final String host;
    private final String bucketPath;
    private final String bucket;
    private final Clock clock;

    private GetPresigner(Supplier<AwsCredentials> credentials, String region, URI base, String bucketPath, String bucket,
            Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.origin = base.getScheme() + "://" + base.getRawAuthority();
        this.host = base.getRawAuthority();
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
        AwsCredentials c = credentials.get();
        String stamp = STAMP.format(clock.instant());
        String scope = stamp.substring(0, 8) + "/" + region + "/s3/aws4_request";
        String token = c instanceof AwsSessionCredentials session ? session.sessionToken() : null;
        String path = bucketPath + "/" + encode(key, true);
        // the URL's order is the SDK's; the canonical request sorts the parameters by name
        Map<String, String> query = new java.util.LinkedHashMap<>();
        if (contentDisposition != null) {
            query.put("response-content-disposition", encode(contentDisposition, false));
        }
        if (token != null) {
            query.put("X-Amz-Security-Token", encode(token, false));
        }
        query.put("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        query.put("X-Amz-Date", stamp);
        query.put("X-Amz-SignedHeaders", "host");
        query.put("X-Amz-Credential", encode(c.accessKeyId() + "/" + scope, false));
        query.put("X-Amz-Expires", Long.toString(ttl.toSeconds()));
        String canonical = "GET\n" + path + "\n" + join(new TreeMap<>(query)) + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
        String toSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] key0 = ("AWS4" + c.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        byte[] signingKey = hmac(hmac(hmac(hmac(key0, stamp.substring(0, 8)), region), "s3"), "aws4_request");
        query.put("X-Amz-Signature", hex(hmac(signingKey, toSign)));
        try {
            return URI.create(origin + path + "?" + join(query)).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(Map<String, String> query) {
        StringBuilder out = new StringBuilder();
        query.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }

    /** RFC 3986: unreserved characters as they are, everything else %XX of its UTF-8 bytes; '/' kept in paths. */
    static String encode(String s, boolean path) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~' || (path && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
