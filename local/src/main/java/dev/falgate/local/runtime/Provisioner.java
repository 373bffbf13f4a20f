package dev.falgate.local.runtime;

import dev.falgate.local.template.BucketDef;
import dev.falgate.local.template.QueueDef;
import dev.falgate.local.template.TableDef;
import dev.falgate.local.template.TableDef.KeyElement;
import dev.falgate.local.template.TemplateModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Creates the template's tables, queues and buckets in the emulators from their own resource
 * properties. Idempotent: what exists (a restart on kept state) is kept, and a table that no
 * longer matches the template is reported rather than silently replaced.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    /** Ignored by DynamoDB Local, required by the API for PROVISIONED tables. */
    private static final ProvisionedThroughput NOMINAL = ProvisionedThroughput.builder()
            .readCapacityUnits(5L).writeCapacityUnits(5L).build();

    private final TemplateModel template;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;
    private Optional<Integer> visibilityTimeoutCap = Optional.empty();

    public Provisioner(TemplateModel template, DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3) {
        this.template = template;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
    }

    /** Seconds no queue stays hidden longer than here (a test's shortened redelivery), or empty. */
    public Provisioner visibilityTimeoutCap(Optional<Integer> seconds) {
        this.visibilityTimeoutCap = seconds;
        return this;
    }

    /** The three services side by side: most of the time is each SDK client's first call. */
    public void provisionAll() {
        ExecutorService pool = Executors.newFixedThreadPool(3, Threads.daemons("falgate-provision-"));
        try {
            List<CompletableFuture<Void>> kinds = List.of(
                    CompletableFuture.runAsync(() -> template.tables().forEach(this::table), pool),
                    CompletableFuture.runAsync(() -> queuesInDependencyOrder(template.queues()).forEach(this::queue),
                            pool),
                    CompletableFuture.runAsync(() -> template.buckets().forEach(this::bucket), pool));
            CompletableFuture.allOf(kinds.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            pool.shutdown();
        }
    }

    // ---- DynamoDB

    void table(TableDef table) {
        try {
            dynamoDb.createTable(createTableRequest(table));
            dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(table.tableName()));
        } catch (ResourceInUseException exists) {
            TableDescription kept = dynamoDb.describeTable(r -> r.tableName(table.tableName())).table();
            boolean added = addMissingIndexes(table, kept);
            warnIfDifferent(table, added ? dynamoDb.describeTable(r -> r.tableName(table.tableName())).table() : kept);
        }
        if (table.ttlAttribute() != null) {
            enableTtl(table);
        }
    }

    /**
     * An index the template gained since the table was made (state kept across an upgrade) is
     * added, as CloudFormation adds it on a stack update: the data stays.
     */
    private boolean addMissingIndexes(TableDef table, TableDescription kept) {
        Set<String> existing = kept.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName)
                .collect(Collectors.toSet());
        CreateTableRequest declared = createTableRequest(table);
        boolean added = false;
        for (GlobalSecondaryIndex index : declared.globalSecondaryIndexes()) {
            if (existing.contains(index.indexName())) {
                continue;
            }
            LOG.info("adding index {} to table {} kept from an earlier run", index.indexName(), table.tableName());
            dynamoDb.updateTable(r -> r.tableName(table.tableName()).attributeDefinitions(declared.attributeDefinitions())
                    .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.indexName())
                            .keySchema(index.keySchema()).projection(index.projection())
                            .provisionedThroughput(index.provisionedThroughput()))));
            added = true;
        }
        return added;
    }

    private static CreateTableRequest createTableRequest(TableDef table) {
        boolean onDemand = "PAY_PER_REQUEST".equals(table.billingMode());
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.tableName())
                .keySchema(keySchema(table.keySchema()))
                .attributeDefinitions(table.attributeTypes().entrySet().stream()
                        .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue())
                                .build())
                        .toList())
                .billingMode(onDemand ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
        if (!onDemand) {
            request.provisionedThroughput(NOMINAL);
        }
        if (!table.globalIndexes().isEmpty()) {
            request.globalSecondaryIndexes(table.globalIndexes().stream().map(i -> {
                GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
                        .indexName(i.indexName())
                        .keySchema(keySchema(i.keySchema()))
                        .projection(Projection.builder().projectionType(i.projectionType())
                                .nonKeyAttributes(i.nonKeyAttributes().isEmpty() ? null : i.nonKeyAttributes())
                                .build());
                if (!onDemand) {
                    index.provisionedThroughput(NOMINAL);
                }
                return index.build();
            }).toList());
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(List<KeyElement> keys) {
        return keys.stream().map(k -> KeySchemaElement.builder().attributeName(k.attributeName())
                .keyType(k.keyType()).build()).toList();
    }

    private void warnIfDifferent(TableDef table, TableDescription existing) {
        boolean sameKeys = existing.keySchema().equals(keySchema(table.keySchema()));
        Set<String> existingIndexes = existing.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        Set<String> declaredIndexes = table.globalIndexes().stream().map(TableDef.IndexDef::indexName)
                .collect(Collectors.toSet());
        if (!sameKeys || !existingIndexes.equals(declaredIndexes)) {
            LOG.warn("table {} kept from an earlier run differs from template.yaml (keys {}, indexes {}); "
                    + "start with --fresh to recreate it", table.tableName(), existing.keySchema(), existingIndexes);
        }
    }

    private void enableTtl(TableDef table) {
        var ttl = dynamoDb.describeTimeToLive(r -> r.tableName(table.tableName())).timeToLiveDescription();
        if (ttl == null || ttl.timeToLiveStatus() != TimeToLiveStatus.ENABLED) {
            dynamoDb.updateTimeToLive(r -> r.tableName(table.tableName())
                    .timeToLiveSpecification(s -> s.attributeName(table.ttlAttribute()).enabled(true)));
        }
    }

    // ---- SQS

    /** A queue's dead-letter queue must exist before the queue that names it. */
    static List<QueueDef> queuesInDependencyOrder(List<QueueDef> queues) {
        Map<String, QueueDef> remaining = new LinkedHashMap<>();
        queues.forEach(q -> remaining.put(q.logicalId(), q));
        List<QueueDef> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            List<QueueDef> ready = remaining.values().stream()
                    .filter(q -> q.deadLetterQueue().map(dlq -> !remaining.containsKey(dlq)).orElse(true))
                    .toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("queues redrive to each other in a cycle: " + remaining.keySet());
            }
            ready.forEach(q -> remaining.remove(q.logicalId()));
            ordered.addAll(ready);
        }
        return ordered;
    }

    void queue(QueueDef queue) {
        Map<String, String> attributes = new HashMap<>(queue.attributes());
        visibilityTimeoutCap.ifPresent(cap -> attributes.merge(QueueAttributeName.VISIBILITY_TIMEOUT.toString(),
                Integer.toString(cap), (declared, capped) -> Integer.parseInt(declared) > cap ? capped : declared));
        try {
            sqs.createQueue(r -> r.queueName(queue.queueName()).attributesWithStrings(attributes));
        } catch (QueueNameExistsException differentAttributes) {
            // kept from an earlier run with other attributes: bring them in line with the template
            String url = sqs.getQueueUrl(r -> r.queueName(queue.queueName())).queueUrl();
            attributes.remove(QueueAttributeName.FIFO_QUEUE.toString());
            sqs.setQueueAttributes(r -> r.queueUrl(url).attributesWithStrings(attributes));
        }
    }

    // ---- S3

    void bucket(BucketDef bucket) {
        try {
            s3.createBucket(r -> r.bucket(bucket.bucketName()));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
            LOG.debug("bucket {} kept", bucket.bucketName());
        }
    }
}
