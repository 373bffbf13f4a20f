package dev.falgate.local;

import dev.falgate.local.fal.FalBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a {@link LocalStack}. Ports 0 pick free ones. No state directory: everything in
 * memory and gone at close; with one, tables, objects, queues and the cursor secret persist there
 * ({@code dynamodb/}, {@code s3/}, {@code sqs/}, {@code cursor-secret}).
 *
 * @param template        the SAM template to run (template.yaml)
 * @param apiBindAddress  where the HTTP front listens (loopback by default)
 * @param apiPort         the HTTP front ({@code FALGATE_PORT}, 3000 for {@code ./falgate local})
 * @param stateDir        persistent state, or empty for in-memory
 * @param parameterOverrides template parameter values that replace the defaults
 * @param environmentOverrides extra or replaced function environment variables, for every function
 * @param apiKeys         registered in the jobs table at start
 * @param fal             starts the fal the handlers use; empty runs with fal off
 * @param base64Bodies    when text request bodies reach handlers base64-encoded
 * @param base64Seed      seed for {@link Base64Bodies#RANDOM}
 * @param concurrency     invocations running at once, over all functions
 * @param visibilityTimeoutCap seconds no queue's VisibilityTimeout exceeds here (tests: a crashed
 *                        consumer's message comes back at once); empty keeps the template's values
 */
public record LocalStackConfig(Path template, String apiBindAddress, int apiPort, int dynamoDbPort, int sqsPort,
        int s3Port, Optional<Path> stateDir, Map<String, String> parameterOverrides,
        Map<String, String> environmentOverrides, List<ApiKey> apiKeys, Optional<FalBackend.Starter> fal,
        Base64Bodies base64Bodies, long base64Seed, int concurrency, Optional<Integer> visibilityTimeoutCap) {

    public static final int DEFAULT_CONCURRENCY = 16;

    public LocalStackConfig {
        Objects.requireNonNull(template, "template");
        parameterOverrides = Map.copyOf(parameterOverrides);
        environmentOverrides = Map.copyOf(environmentOverrides);
        apiKeys = List.copyOf(apiKeys);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    /** Random ports, in memory, no fal, no keys: the test setup. */
    public static Builder builder(Path template) {
        return new Builder(template);
    }

    public Builder toBuilder() {
        return new Builder(template).apiBindAddress(apiBindAddress).apiPort(apiPort).dynamoDbPort(dynamoDbPort)
                .sqsPort(sqsPort).s3Port(s3Port).stateDir(stateDir.orElse(null))
                .parameterOverrides(parameterOverrides).environmentOverrides(environmentOverrides).apiKeys(apiKeys)
                .fal(fal.orElse(null)).base64Bodies(base64Bodies, base64Seed).concurrency(concurrency)
                .visibilityTimeoutCap(visibilityTimeoutCap.orElse(null));
    }

    public static final class Builder {
        private final Path template;
        private String apiBindAddress = "127.0.0.1";
        private int apiPort;
        private int dynamoDbPort;
        private int sqsPort;
        private int s3Port;
        private Path stateDir;
        private Map<String, String> parameterOverrides = Map.of();
        private Map<String, String> environmentOverrides = Map.of();
        private List<ApiKey> apiKeys = List.of();
        private FalBackend.Starter fal;
        private Base64Bodies base64Bodies = Base64Bodies.BINARY_ONLY;
        private long base64Seed;
        private int concurrency = DEFAULT_CONCURRENCY;
        private Integer visibilityTimeoutCap;

        private Builder(Path template) {
            this.template = template;
        }

        public Builder apiBindAddress(String address) {
            this.apiBindAddress = address;
            return this;
        }

        public Builder apiPort(int port) {
            this.apiPort = port;
            return this;
        }

        public Builder dynamoDbPort(int port) {
            this.dynamoDbPort = port;
            return this;
        }

        public Builder sqsPort(int port) {
            this.sqsPort = port;
            return this;
        }

        public Builder s3Port(int port) {
            this.s3Port = port;
            return this;
        }

        /** null: in memory. */
        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        public Builder parameterOverrides(Map<String, String> overrides) {
            this.parameterOverrides = overrides;
            return this;
        }

        public Builder environmentOverrides(Map<String, String> overrides) {
            this.environmentOverrides = overrides;
            return this;
        }

        public Builder apiKeys(List<ApiKey> keys) {
            this.apiKeys = keys;
            return this;
        }

        /** null: fal off. */
        public Builder fal(FalBackend.Starter starter) {
            this.fal = starter;
            return this;
        }

        public Builder base64Bodies(Base64Bodies mode, long seed) {
            this.base64Bodies = mode;
            this.base64Seed = seed;
            return this;
        }

        public Builder concurrency(int invocations) {
            this.concurrency = invocations;
            return this;
        }

        /** null: the template's visibility timeouts. */
        public Builder visibilityTimeoutCap(Integer seconds) {
            this.visibilityTimeoutCap = seconds;
            return this;
        }

        public LocalStackConfig build() {
            return new LocalStackConfig(template, apiBindAddress, apiPort, dynamoDbPort, sqsPort, s3Port,
                    Optional.ofNullable(stateDir), parameterOverrides, environmentOverrides, apiKeys,
                    Optional.ofNullable(fal), base64Bodies, base64Seed, concurrency,
                    Optional.ofNullable(visibilityTimeoutCap));
        }
    }
}
