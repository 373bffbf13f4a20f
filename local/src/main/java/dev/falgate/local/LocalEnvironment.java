package dev.falgate.local;

import dev.falgate.local.fal.FalBackend;
import dev.falgate.local.template.BucketDef;
import dev.falgate.local.template.FunctionDef;
import dev.falgate.local.template.TemplateModel;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The environment a handler is created with locally: the template's (Globals + function, resolved)
 * plus what only the local runner sets (ARCHITECTURE.md, "Environment"): static credentials, the
 * emulators' endpoints, path-style S3, the fal key and cursor secret given directly instead of
 * through Secrets Manager.
 */
final class LocalEnvironment {
    /** fal's outputs come from the emulator on the loopback interface. */
    private static final List<String> LOCAL_CDN_HOSTS = List.of("127.0.0.1", "localhost");

    /** Partner webhooks may target loopback (http too): local only, never in the template. */
    static final String WEBHOOK_ALLOW_LOOPBACK = "FALGATE_WEBHOOK_ALLOW_LOOPBACK";

    private LocalEnvironment() {
    }

    static Map<String, String> localKeys(URI dynamoDb, URI sqs, URI s3, Optional<FalBackend> fal, String falKey,
            String cursorSecret, String webhookSecret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", LocalAws.REGION);
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY);
        env.put("FALGATE_ENDPOINT_DYNAMODB", dynamoDb.toString());
        env.put("FALGATE_ENDPOINT_SQS", sqs.toString());
        env.put("FALGATE_ENDPOINT_S3", s3.toString());
        env.put("FALGATE_S3_PATH_STYLE", "true");
        env.put("FAL_KEY", falKey);
        env.put("CURSOR_SECRET", cursorSecret);
        env.put("WEBHOOK_SECRET", webhookSecret);
        fal.ifPresent(f -> env.put("FALGATE_TIME_SCALE", Double.toString(f.timeScale())));
        // partners develop against the local stack with a receiver on their own machine
        env.put(WEBHOOK_ALLOW_LOOPBACK, "true");
        return env;
    }

    static Map<String, String> forFunction(FunctionDef function, Map<String, String> localKeys,
            Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(localKeys);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.computeIfPresent("FAL_CDN_HOSTS", (name, hosts) -> withLocalHosts(hosts));
        env.putAll(overrides);
        return env;
    }

    private static String withLocalHosts(String hosts) {
        StringBuilder out = new StringBuilder(hosts);
        for (String local : LOCAL_CDN_HOSTS) {
            if (!List.of(hosts.split("\\s*,\\s*")).contains(local)) {
                out.append(out.length() == 0 ? "" : ",").append(local);
            }
        }
        return out.toString();
    }

    /** The buckets' CORS rules, with the local API's origins admitted (the web page is served from there). */
    static List<BucketDef.CorsRule> s3CorsRules(TemplateModel template, int apiPort) {
        List<BucketDef.CorsRule> rules = template.buckets().stream().flatMap(b -> b.corsRules().stream()).toList();
        if (rules.isEmpty()) {
            return rules;
        }
        List<String> apiOrigins = apiPort == 0 ? List.of("http://localhost:*", "http://127.0.0.1:*")
                : List.of("http://localhost:" + apiPort, "http://127.0.0.1:" + apiPort);
        BucketDef.CorsRule first = rules.get(0);
        BucketDef.CorsRule api = new BucketDef.CorsRule(apiOrigins, first.allowedMethods(), first.allowedHeaders(),
                first.exposedHeaders(), first.maxAgeSeconds());
        return Stream.concat(rules.stream(), Stream.of(api)).toList();
    }
}
