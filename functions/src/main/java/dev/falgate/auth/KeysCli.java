package dev.falgate.auth;

import dev.falgate.config.AwsClients;
import dev.falgate.config.Settings;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./falgate keys create|list|revoke}: the operator's API key tool. Works against the
 * local stack ({@code --local}) and a deployed one ({@code --table}, AWS credentials and region
 * from the usual places). The raw key is printed once, at creation, and stored only hashed.
 */
public final class KeysCli {
    public static final String LOCAL_TABLE = "falgate-JobsTable";
    public static final String LOCAL_ENDPOINT = "http://127.0.0.1:8000";
    static final String USAGE = """
            usage: falgate keys create --tenant TENANT [target]
                   falgate keys list [target]
                   falgate keys revoke KEY_ID [target]
            target: --local (the ./falgate local stack, default)
                    | --table TABLE [--region REGION] [--endpoint URL]   (a deployed stack)
                    | --stack STACK_NAME (resolved to its JobsTableName output by ./falgate)""";

    private KeysCli() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(args);
        String command = rest.pollFirst();
        Map<String, String> options = new HashMap<>();
        List<String> positional = new java.util.ArrayList<>();
        while (!rest.isEmpty()) {
            String a = rest.pollFirst();
            if (a.equals("--local")) {
                options.put("local", "true");
            } else if (a.startsWith("--") && !rest.isEmpty()) {
                options.put(a.substring(2), rest.pollFirst());
            } else {
                positional.add(a);
            }
        }
        if (command == null) {
            err.println(USAGE);
            return 2;
        }
        try (DynamoDbClient ddb = client(options)) {
            ApiKeyStore store = new ApiKeyStore(ddb, options.getOrDefault("table", LOCAL_TABLE));
            return switch (command) {
                case "create" -> create(store, options.get("tenant"), out, err);
                case "list" -> list(store, out);
                case "revoke" -> revoke(store, positional, out, err);
                default -> {
                    err.println(USAGE);
                    yield 2;
                }
            };
        }
    }

    private static int create(ApiKeyStore store, String tenant, PrintStream out, PrintStream err) {
        if (tenant == null) {
            err.println(USAGE);
            return 2;
        }
        String key = ApiKeyStore.newRawKey();
        String id = store.put(tenant, key);
        out.println("tenant: " + tenant);
        out.println("key id: " + id);
        out.println("api key: " + key);
        out.println("(shown once: falgate stores only its SHA-256 hash)");
        return 0;
    }

    private static int list(ApiKeyStore store, PrintStream out) {
        out.println(row("KEY ID", "TENANT", "CREATED", "REVOKED"));
        for (ApiKeyStore.KeyInfo k : store.list()) {
            out.println(row(k.keyId(), k.tenant(), time(k.createdAt()), k.revokedAt() == null ? "-" : time(k.revokedAt())));
        }
        return 0;
    }

    /** One line of {@code keys list}: every time is 20 characters wide, so the columns line up. */
    static String row(String keyId, String tenant, String created, String revoked) {
        return String.format("%-18s %-24s %-20s %s", keyId, tenant, created, revoked);
    }

    /** A stored time to the second ({@code 2026-12-01T12:07:38Z}): the store keeps nanoseconds, which nobody reads. */
    static String time(String stored) {
        return java.time.Instant.parse(stored).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static int revoke(ApiKeyStore store, List<String> positional, PrintStream out, PrintStream err) {
        if (positional.size() != 1) {
            err.println(USAGE);
            return 2;
        }
        if (!store.revoke(positional.get(0))) {
            err.println("no key " + positional.get(0));
            return 1;
        }
        out.println("revoked " + positional.get(0));
        return 0;
    }

    private static DynamoDbClient client(Map<String, String> options) {
        Map<String, String> env = new HashMap<>(System.getenv());
        boolean local = !options.containsKey("table") || options.containsKey("local");
        if (local) {
            env.put("FALGATE_ENDPOINT_DYNAMODB", options.getOrDefault("endpoint", LOCAL_ENDPOINT));
            env.put("AWS_ACCESS_KEY_ID", "falgatelocal");
            env.put("AWS_SECRET_ACCESS_KEY", "falgate-local-secret");
            env.remove("AWS_SESSION_TOKEN");
            env.put("AWS_REGION", "us-east-1");
        } else {
            if (options.containsKey("endpoint")) {
                env.put("FALGATE_ENDPOINT_DYNAMODB", options.get("endpoint"));
            }
            if (options.containsKey("region")) {
                env.put("AWS_REGION", options.get("region"));
            } else if (!env.containsKey("AWS_REGION") && env.containsKey("AWS_DEFAULT_REGION")) {
                env.put("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
            }
        }
        return new AwsClients(new Settings(env)).dynamoDb();
    }
}
