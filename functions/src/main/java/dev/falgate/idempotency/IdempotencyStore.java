package dev.falgate.idempotency;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records ({@code IDEM#<tenant>#<route>#<key>}) in the jobs table. A record is
 * claimed with a conditional put, so of any number of concurrent requests exactly one owns it.
 */
final class IdempotencyStore {
    record Entry(String fingerprint, String state, String resultId, int status, Instant leaseUntil, Instant expiresAt) {
        boolean completed() {
            return "COMPLETED".equals(state);
        }
    }

    private final DynamoDbClient ddb;
    private final String table;

    IdempotencyStore(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /**
     * Claims the key for this request: succeeds when there is no record, or when the record
     * has expired or is an abandoned claim (its lease ran out: the owner crashed).
     */
    boolean claim(String id, String fingerprint, Instant now, Instant leaseUntil, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(id));
        item.put("fingerprint", s(fingerprint));
        item.put("state", s("IN_PROGRESS"));
        item.put("lease_until", n(leaseUntil.toEpochMilli()));
        item.put("expires_at", n(expiresAt.toEpochMilli()));
        item.put("ttl", n(expiresAt.getEpochSecond()));
        try {
            ddb.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expires_at < :now"
                            + " OR (#s = :progress AND lease_until < :now)")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":progress", s("IN_PROGRESS"))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    void complete(String id, String fingerprint, String resultId, int status) {
        ddb.updateItem(r -> r.tableName(table).key(key(id))
                .updateExpression("SET #s = :done, result_id = :r, http_status = :st")
                .conditionExpression("fingerprint = :f")
                .expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":done", s("COMPLETED"), ":r", s(resultId),
                        ":st", n(status), ":f", s(fingerprint))));
    }

    /** Gives the key back after a failed attempt, so the caller's retry can run. */
    void release(String id, String fingerprint) {
        try {
            ddb.deleteItem(r -> r.tableName(table).key(key(id))
                    .conditionExpression("fingerprint = :f AND #s = :progress")
                    .expressionAttributeNames(Map.of("#s", "state"))
                    .expressionAttributeValues(Map.of(":f", s(fingerprint), ":progress", s("IN_PROGRESS"))));
        } catch (ConditionalCheckFailedException e) {
            // someone else's record by now: leave it
        }
    }

    Optional<Entry> find(String id) {
        Map<String, AttributeValue> i = ddb.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(i.get("fingerprint").s(), i.get("state").s(),
                i.containsKey("result_id") ? i.get("result_id").s() : null,
                i.containsKey("http_status") ? Integer.parseInt(i.get("http_status").n()) : 0,
                Instant.ofEpochMilli(Long.parseLong(i.get("lease_until").n())),
                Instant.ofEpochMilli(Long.parseLong(i.get("expires_at").n()))));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", s("IDEM#" + id), "sk", s("IDEM"));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
