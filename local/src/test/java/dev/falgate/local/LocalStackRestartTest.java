package dev.falgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.local.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** A stack stopped and started again on the same state directory keeps its data. */
class LocalStackRestartTest {

    private static LocalStackConfig config(Path state) {
        return LocalStackConfig.builder(TestPaths.testTemplate()).stateDir(state).build();
    }

    @Test
    void tableItemsObjectsQueuedMessagesAndTheCursorSecretSurviveARestart(@TempDir Path state) {
        String cursorSecret;
        try (LocalStack first = LocalStack.start(config(state))) {
            first.dynamoDb().putItem(r -> r.tableName("falgate-ItemsTable").item(Map.of(
                    "id", AttributeValue.fromS("item-1"), "kind", AttributeValue.fromS("kept"))));
            first.s3().putObject(r -> r.bucket("falgate-filesbucket").key("uploads/a.txt"),
                    RequestBody.fromString("file body"));
            // the dead-letter queue has no consumer, so the message waits there across the restart
            first.sqs().sendMessage(r -> r.queueUrl(first.queueUrl("WorkDeadLetterQueue")).messageBody("queued"));
            cursorSecret = first.environment("EchoFunction").get("CURSOR_SECRET");
        }

        try (LocalStack second = LocalStack.start(config(state))) {
            Map<String, AttributeValue> item = second.dynamoDb().getItem(r -> r.tableName("falgate-ItemsTable")
                    .key(Map.of("id", AttributeValue.fromS("item-1")))).item();
            String object = second.s3().getObjectAsBytes(r -> r.bucket("falgate-filesbucket").key("uploads/a.txt"))
                    .asUtf8String();
            List<Message> queued = second.sqs().receiveMessage(r -> r
                    .queueUrl(second.queueUrl("WorkDeadLetterQueue")).waitTimeSeconds(2)).messages();

            assertThat(item).containsEntry("kind", AttributeValue.fromS("kept"));
            assertThat(object).isEqualTo("file body");
            assertThat(queued).extracting(Message::body).containsExactly("queued");
            assertThat(second.environment("EchoFunction")).containsEntry("CURSOR_SECRET", cursorSecret);
            assertThat(second.dynamoDb().describeTable(r -> r.tableName("falgate-ItemsTable")).table()
                    .globalSecondaryIndexes()).hasSize(1);
        }
        assertThat(state.resolve("dynamodb")).isDirectory();
        assertThat(state.resolve("s3").resolve("falgate-filesbucket")).isDirectory();
        assertThat(Files.exists(state.resolve("sqs").resolve("elasticmq.mv.db"))).isTrue();
    }

    @Test
    void refusesASecondPersistentStackInTheSameJvmAndKeepsTheFirstWorking(@TempDir Path one, @TempDir Path two) {
        try (LocalStack first = LocalStack.start(config(one))) {
            assertThatThrownBy(() -> LocalStack.start(config(two))).hasMessageContaining("one at a time");

            String dlq = first.queueUrl("WorkDeadLetterQueue");
            first.sqs().sendMessage(r -> r.queueUrl(dlq).messageBody("still here"));
            assertThat(first.sqs().receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(2)).messages())
                    .extracting(Message::body).containsExactly("still here");
        }
    }

    @Test
    void anInMemoryStackStartsEmptyEachTime() {
        LocalStackConfig inMemory = LocalStackConfig.builder(TestPaths.testTemplate()).build();
        try (LocalStack first = LocalStack.start(inMemory)) {
            first.dynamoDb().putItem(r -> r.tableName("falgate-ItemsTable").item(Map.of(
                    "id", AttributeValue.fromS("gone"))));
        }
        try (LocalStack second = LocalStack.start(inMemory)) {
            assertThat(second.dynamoDb().scan(r -> r.tableName("falgate-ItemsTable")).items()).isEmpty();
        }
    }

    /** State kept from before the template gained an index (as after an upgrade): the index is added, the items stay. */
    @Test
    void anIndexTheTemplateGainedIsAddedToAKeptTable(@TempDir Path state, @TempDir Path older) throws Exception {
        String template = Files.readString(TestPaths.repoTemplate());
        String sweepIndex = template.substring(template.indexOf("        # sparse: only jobs that no sender"),
                template.indexOf("          Projection: {ProjectionType: KEYS_ONLY}\n") + "          Projection: {ProjectionType: KEYS_ONLY}\n".length());
        Path withoutIndex = Files.writeString(older.resolve("template.yaml"), template.replace(sweepIndex, "")
                .replace("        - {AttributeName: sweep_pk, AttributeType: S}\n", "")
                .replace("        - {AttributeName: sweep_at, AttributeType: N}\n", ""));
        String table;
        try (LocalStack first = LocalStack.start(LocalStackConfig.builder(withoutIndex).stateDir(state).build())) {
            table = first.jobsTable().orElseThrow();
            first.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("JOB#kept"),
                    "sk", AttributeValue.fromS("JOB"))));
            assertThat(indexes(first, table)).doesNotContain("by_sweep").contains("by_tenant");
        }
        try (LocalStack second = LocalStack.start(LocalStackConfig.builder(TestPaths.repoTemplate()).stateDir(state).build())) {
            assertThat(indexes(second, table)).contains("by_sweep", "by_tenant");
            assertThat(second.dynamoDb().getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("JOB#kept"),
                    "sk", AttributeValue.fromS("JOB")))).item()).isNotEmpty();
        }
    }

    private static List<String> indexes(LocalStack stack, String table) {
        return stack.dynamoDb().describeTable(r -> r.tableName(table)).table().globalSecondaryIndexes().stream()
                .map(software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription::indexName).toList();
    }
}
