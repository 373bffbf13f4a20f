package dev.falgate.uploads;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Upload records ({@code UPL#<id>}), removed by DynamoDB TTL a day after they expire. */
public final class UploadRepository {
    private static final long TTL_GRACE_SECONDS = 86_400;

    private final DynamoDbClient ddb;
    private final String table;

    public UploadRepository(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    public void create(Upload u) {
        ddb.putItem(r -> r.tableName(table).item(item(u)).conditionExpression("attribute_not_exists(pk)"));
    }

    /** The record's item, for a caller that writes it in a transaction of its own (a new job with its inputs). */
    public static Map<String, AttributeValue> item(Upload u) {
        Map<String, AttributeValue> item = new HashMap<>(key(u.id()));
        item.put("upload_id", s(u.id()));
        item.put("tenant", s(u.tenant()));
        item.put("s3_key", s(u.key()));
        item.put("content_type", s(u.contentType()));
        item.put("size", AttributeValue.fromN(Long.toString(u.size())));
        if (u.fileName() != null) {
            item.put("file_name", s(u.fileName()));
        }
        item.put("created_at", s(u.createdAt().toString()));
        item.put("expires_at", s(u.expiresAt().toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(u.expiresAt().getEpochSecond() + TTL_GRACE_SECONDS)));
        return item;
    }

    public Optional<Upload> find(String id) {
        Map<String, AttributeValue> i = ddb.getItem(r -> r.tableName(table).key(key(id)).consistentRead(true)).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Upload(i.get("upload_id").s(), i.get("tenant").s(), i.get("s3_key").s(),
                i.get("content_type").s(), Long.parseLong(i.get("size").n()),
                i.containsKey("file_name") ? i.get("file_name").s() : null,
                Instant.parse(i.get("created_at").s()), Instant.parse(i.get("expires_at").s())));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("pk", s("UPL#" + id), "sk", s("UPL"));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
