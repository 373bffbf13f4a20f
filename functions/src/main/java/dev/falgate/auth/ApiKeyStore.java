package dev.falgate.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * API keys: random, shown once, stored only as their SHA-256 hash. Item key
 * {@code KEY#<sha256 hex>}; listed through the {@code by_tenant} index under {@code APIKEYS}.
 */
public final class ApiKeyStore {
    public static final String KEY_PREFIX = "fg_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public ApiKeyStore(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC());
    }

    public ApiKeyStore(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** A new random key, e.g. {@code fg_3kQ...}: 256 bits, URL-safe. */
    public static String newRawKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String rawKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The short public id of a key: the first 12 hex digits of its hash. */
    public static String keyId(String rawKey) {
        return "key_" + hash(rawKey).substring(0, 12);
    }

    /** Stores a key for a tenant (idempotent for the same key and tenant); returns its id. */
    public String put(String tenant, String rawKey) {
        if (tenant == null || !tenant.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("tenant must be 1-64 of [A-Za-z0-9_.-]");
        }
        String id = keyId(rawKey);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("KEY#" + hash(rawKey)));
        item.put("sk", s("KEY"));
        item.put("gsi1pk", s("APIKEYS"));
        item.put("gsi1sk", s(id));
        item.put("key_id", s(id));
        item.put("tenant", s(tenant));
        item.put("created_at", s(clock.instant().toString()));
        try {
            ddb.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR tenant = :t")
                    .expressionAttributeValues(Map.of(":t", s(tenant))));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("that key already belongs to another tenant", e);
        }
        return id;
    }

    /** The tenant of a presented key, if the key exists and is not revoked. */
    public Optional<String> tenantOf(String rawKey) {
        Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName(table)
                .key(Map.of("pk", s("KEY#" + hash(rawKey)), "sk", s("KEY")))).item();
        if (item == null || item.isEmpty() || item.containsKey("revoked_at")) {
            return Optional.empty();
        }
        return Optional.of(item.get("tenant").s());
    }

    public record KeyInfo(String keyId, String tenant, String createdAt, String revokedAt) {
    }

    public List<KeyInfo> list() {
        List<KeyInfo> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("by_tenant")
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", s("APIKEYS")));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = ddb.query(q.build());
            page.items().forEach(i -> keys.add(new KeyInfo(i.get("key_id").s(), i.get("tenant").s(),
                    i.get("created_at").s(), i.containsKey("revoked_at") ? i.get("revoked_at").s() : null)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return keys;
    }

    /** Revokes a key by its id; false when there is no such key. */
    public boolean revoke(String keyId) {
        var matches = ddb.query(r -> r.tableName(table).indexName("by_tenant")
                .keyConditionExpression("gsi1pk = :p AND gsi1sk = :k")
                .expressionAttributeValues(Map.of(":p", s("APIKEYS"), ":k", s(keyId)))).items();
        for (var item : matches) {
            ddb.updateItem(r -> r.tableName(table)
                    .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                    .updateExpression("SET revoked_at = :now")
                    .expressionAttributeValues(Map.of(":now", s(clock.instant().toString()))));
        }
        return !matches.isEmpty();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
