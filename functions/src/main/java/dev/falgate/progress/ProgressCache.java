package dev.falgate.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The last progress snapshot of a job, one small item {@code PROG#<job_id>} in the jobs table
 * (removed by TTL a day after its last refresh). A separate item, not the job's: the job item
 * is written under optimistic locking on {@code version} by the submit, callback and poll
 * paths, and a progress refresh every two seconds would make their writes conflict and retry.
 *
 * <p>Refreshing is claimed with a conditional write on {@code claimed_at}: of all callers in
 * the same {@link #REFRESH_GAP}, one wins and asks fal; the others read what is stored.
 */
final class ProgressCache {
    static final Duration REFRESH_GAP = Duration.ofSeconds(2);
    private static final Duration KEEP = Duration.ofDays(1);

    private final DynamoDbClient ddb;
    private final String table;

    ProgressCache(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /** True for the one caller per {@link #REFRESH_GAP} that may ask fal now. */
    boolean claimRefresh(String jobId, Instant now) {
        try {
            ddb.updateItem(r -> r.tableName(table).key(key(jobId))
                    .updateExpression("SET claimed_at = :now, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(pk) OR claimed_at <= :before")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                            ":before", n(now.minus(REFRESH_GAP).toEpochMilli()),
                            ":ttl", n(now.plus(KEEP).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    void store(String jobId, ObjectNode snapshot) {
        ddb.updateItem(r -> r.tableName(table).key(key(jobId))
                .updateExpression("SET progress_snapshot = :s")
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(Json.write(snapshot)))));
    }

    /** The last snapshot stored, if any. */
    Optional<ObjectNode> last(String jobId) {
        Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName(table).key(key(jobId)).consistentRead(true)).item();
        if (item == null || !item.containsKey("progress_snapshot")) {
            return Optional.empty();
        }
        JsonNode snapshot = Json.parse(item.get("progress_snapshot").s());
        return Optional.of((ObjectNode) snapshot);
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of("pk", AttributeValue.fromS("PROG#" + jobId), "sk", AttributeValue.fromS("PROG"));
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
