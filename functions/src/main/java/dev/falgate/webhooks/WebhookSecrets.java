package dev.falgate.webhooks;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Each tenant's webhook signing secret, one item per tenant in the jobs table
 * ({@code WHSEC#<tenant>} / {@code WHSEC}), made on first use. A rotation keeps the old secret
 * signing beside the new one for {@link #OVERLAP}, so receivers holding either keep verifying.
 *
 * <p>Stored as is, like the API key hashes beside it: the table is encrypted at rest (SSE) and
 * only falgate's functions read it; a key in a further Secrets Manager secret would add a call
 * and a permission to every delivery, and guard only against someone who reads the table but
 * not the secret (a leaked export), who could then forge this tenant's webhooks to its receivers.
 */
public final class WebhookSecrets {
    public static final Duration OVERLAP = Duration.ofHours(24);
    private static final int KEY_BYTES = 32;

    /** The secrets of a tenant: {@code previous} is null outside a rotation's overlap. */
    public record TenantSecrets(String current, String previous, Instant previousUntil) {
        /** The secrets that sign now, newest first. */
        public List<String> signing(Instant now) {
            List<String> out = new ArrayList<>(List.of(current));
            if (previous != null && now.isBefore(previousUntil)) {
                out.add(previous);
            }
            return out;
        }
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public WebhookSecrets(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** The tenant's secrets, the first one made now if it has none. */
    public TenantSecrets of(String tenant) {
        Map<String, AttributeValue> item = read(tenant);
        if (item != null) {
            return fromItem(item);
        }
        String secret = newSecret();
        try {
            ddb.putItem(r -> r.tableName(table).item(item(tenant, secret, null, null))
                    .conditionExpression("attribute_not_exists(pk)"));
            return new TenantSecrets(secret, null, null);
        } catch (ConditionalCheckFailedException e) {
            return fromItem(read(tenant)); // a concurrent first use made it
        }
    }

    /** A new current secret; the one it replaces keeps signing for {@link #OVERLAP}. */
    public TenantSecrets rotate(String tenant) {
        TenantSecrets old = of(tenant);
        String secret = newSecret();
        Instant until = clock.instant().plus(OVERLAP);
        try {
            ddb.putItem(r -> r.tableName(table).item(item(tenant, secret, old.current(), until))
                    .conditionExpression("secret = :old")
                    .expressionAttributeValues(Map.of(":old", AttributeValue.fromS(old.current()))));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("the webhook secret was rotated concurrently; retry", e);
        }
        return new TenantSecrets(secret, old.current(), until);
    }

    private Map<String, AttributeValue> read(String tenant) {
        Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName(table).key(key(tenant)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static TenantSecrets fromItem(Map<String, AttributeValue> item) {
        AttributeValue previous = item.get("previous_secret");
        return new TenantSecrets(item.get("secret").s(), previous == null ? null : previous.s(),
                previous == null ? null : Instant.ofEpochMilli(Long.parseLong(item.get("previous_until").n())));
    }

    private static Map<String, AttributeValue> item(String tenant, String secret, String previous, Instant until) {
        Map<String, AttributeValue> m = new HashMap<>(key(tenant));
        m.put("secret", AttributeValue.fromS(secret));
        if (previous != null) {
            m.put("previous_secret", AttributeValue.fromS(previous));
            m.put("previous_until", AttributeValue.fromN(Long.toString(until.toEpochMilli())));
        }
        return m;
    }

    private static Map<String, AttributeValue> key(String tenant) {
        return Map.of("pk", AttributeValue.fromS("WHSEC#" + tenant), "sk", AttributeValue.fromS("WHSEC"));
    }

    private static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key); // made per secret: no generator state in a SnapStart snapshot
        return WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }
}
