package dev.falgate.local.emulators;

import dev.falgate.local.template.BucketDef.CorsRule;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy: real SigV4 checking (presigned URLs included), objects as plain files under a data
 * directory or in memory, and one CORS policy built from the buckets' CORS rules.
 */
public final class S3Emulator implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    /** No graceful phase: it waited a second on stop, and the stack stops its clients first anyway. */
    private static final long STOP_TIMEOUT_MILLIS = 0;

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Emulator(S3Proxy proxy) {
        this.proxy = proxy;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Port 0: a free one. {@code dataDir} null: transient (in memory). */
    public static S3Emulator start(int port, Path dataDir, String accessKey, String secretKey,
            Collection<CorsRule> corsRules) {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore(dataDir))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .corsRules(cors(corsRules))
                .stopTimeout(STOP_TIMEOUT_MILLIS)
                .build();
        try {
            proxy.start();
            awaitStarted(proxy);
            return new S3Emulator(proxy);
        } catch (Exception e) {
            try {
                proxy.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw PortInUseException.startFailure("S3Proxy", port, e);
        }
    }

    private static BlobStore blobStore(Path dataDir) {
        if (dataDir == null) {
            return new TransientNio2BlobStore();
        }
        DynamoDbEmulator.createDirectories(dataDir);
        return new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString());
    }

    /** {@code start()} returns before Jetty listens; S3Proxy's own JUnit helper polls the state too. */
    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline) || "FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("S3Proxy state " + proxy.getState());
            }
            Thread.sleep(5);
        }
    }

    /** One policy: S3Proxy has no per-bucket CORS, so the rules' allowances are merged. */
    static CrossOriginResourceSharing cors(Collection<CorsRule> rules) {
        if (rules.isEmpty()) {
            return CrossOriginResourceSharing.disabled();
        }
        Set<String> origins = union(rules, CorsRule::allowedOrigins);
        List<String> originPatterns = origins.contains("*") ? List.of("*")
                : origins.stream().map(S3Emulator::originPattern).toList();
        return new CrossOriginResourceSharing(originPatterns, List.copyOf(union(rules, CorsRule::allowedMethods)),
                List.copyOf(union(rules, CorsRule::allowedHeaders)), List.copyOf(union(rules, CorsRule::exposedHeaders)),
                "false");
    }

    private static Set<String> union(Collection<CorsRule> rules, Function<CorsRule, List<String>> field) {
        return rules.stream().flatMap(r -> field.apply(r).stream()).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** An S3 origin may hold one {@code *} wildcard; S3Proxy wants a regex. */
    private static String originPattern(String origin) {
        return List.of(origin.split("\\*", -1)).stream().map(Pattern::quote).collect(Collectors.joining(".*"));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new EmulatorException("S3Proxy did not stop", e);
        }
    }
}
