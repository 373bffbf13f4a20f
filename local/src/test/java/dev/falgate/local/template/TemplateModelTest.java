package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.falgate.local.template.TableDef.IndexDef;
import dev.falgate.local.template.TableDef.KeyElement;
import dev.falgate.local.testing.TestPaths;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateModelTest {
    private static final URI SQS = URI.create("http://127.0.0.1:59324");

    private static TemplateModel real(Map<String, String> overrides) {
        return TemplateModel.load(TestPaths.repoTemplate(), StackContext.local(SQS, overrides));
    }

    @Test
    void readsEveryRouteOfTheRealTemplateWithItsFunction() {
        List<String> routes = real(Map.of()).routes().stream()
                .map(r -> r.functionLogicalId() + " " + r.routeKey()).toList();

        assertThat(routes).containsExactlyInAnyOrder(
                "SubmitFunction POST /v1/jobs", "SubmitFunction POST /v1/uploads",
                "SubmitFunction POST /v1/jobs/{id}/cancel", "SubmitFunction DELETE /v1/jobs/{id}",
                "SubmitFunction GET /v1/webhooks/secret", "SubmitFunction POST /v1/webhooks/secret/rotate",
                "SubmitFunction POST /v1/jobs/{id}/webhook/replay",
                "ReadFunction GET /v1/models", "ReadFunction GET /v1/openapi.json", "ReadFunction GET /v1/jobs", "ReadFunction GET /v1/jobs/{id}",
                "SubmitFunction GET /v1/jobs/{id}/progress", "ReadFunction GET /ui/vendor/{file}",
                "ReadFunction GET /", "ReadFunction GET /ui/{file}", "ReadFunction $default",
                "CallbackFunction POST /v1/webhooks/fal/{id}",
                "FalProxyFunction GET /api/fal/proxy", "FalProxyFunction POST /api/fal/proxy",
                "FalProxyFunction PUT /api/fal/proxy", "FalProxyFunction POST /v1/tokens");
    }

    @Test
    void readsFunctionsWithGlobalsApplied() {
        TemplateModel model = real(Map.of());

        assertThat(model.functions()).extracting(FunctionDef::logicalId, FunctionDef::handlerClass,
                FunctionDef::timeoutSeconds).containsExactlyInAnyOrder(
                        tuple("SubmitFunction", "dev.falgate.submit.SubmitHandler", 30),
                        tuple("FalProxyFunction", "dev.falgate.proxy.FalProxyHandler", 30),
                        tuple("ReadFunction", "dev.falgate.read.ReadHandler", 30),
                        tuple("CallbackFunction", "dev.falgate.callback.CallbackHandler", 30),
                        tuple("PollerFunction", "dev.falgate.poller.PollerHandler", 120),
                        tuple("FinishFunction", "dev.falgate.poller.PollerHandler", 900),
                        tuple("SweeperFunction", "dev.falgate.poller.SweepHandler", 60),
                        tuple("DeadLetterFunction", "dev.falgate.poller.DeadLetterHandler", 30),
                        tuple("WebhookFunction", "dev.falgate.webhooks.WebhookHandler", 30));
        FunctionDef poller = model.function("PollerFunction");
        assertThat(poller.handlerMethod()).isEqualTo("handleRequest");
        assertThat(poller.memoryMb()).isEqualTo(1024);
        assertThat(poller.sqsEvents()).containsExactly(new SqsEventDef("PollerFunction", "PollQueue", "PollQueue",
                "arn:aws:sqs:us-east-1:000000000000:falgate-PollQueue", 10, true));
        assertThat(model.function("FinishFunction").sqsEvents()).containsExactly(new SqsEventDef("FinishFunction",
                "FinishQueue", "FinishQueue", "arn:aws:sqs:us-east-1:000000000000:falgate-FinishQueue", 1, true, 5));
        assertThat(model.queue("FinishQueue").deadLetterQueue()).contains("PollDeadLetterQueue");
        assertThat(model.function("SweeperFunction").schedules()).containsExactly(
                new ScheduleEventDef("SweeperFunction", "Sweep", java.time.Duration.ofMinutes(1)));
    }

    @Test
    void noDeployedFunctionMayPostWebhooksToLoopback() {
        TemplateModel model = real(Map.of());

        assertThat(model.functions()).allSatisfy(f -> assertThat(f.environment())
                .doesNotContainKey("FALGATE_WEBHOOK_ALLOW_LOOPBACK").containsKey("WEBHOOK_QUEUE_URL"));
        assertThat(model.function("WebhookFunction").sqsEvents()).singleElement()
                .satisfies(e -> assertThat(e.toString()).contains("WebhookQueue"));
    }

    @Test
    void resolvesTheEnvironmentRefsToPhysicalNamesAndParameters() {
        Map<String, String> env = real(Map.of()).function("SubmitFunction").environment();

        assertThat(env).containsEntry("JOBS_TABLE", "falgate-JobsTable")
                .containsEntry("FILES_BUCKET", "falgate-filesbucket")
                .containsEntry("POLL_QUEUE_URL", "http://127.0.0.1:59324/000000000000/falgate-PollQueue")
                .containsEntry("FAL_QUEUE_BASE_URL", "https://queue.fal.run")
                .containsEntry("FAL_KEY_SECRET_ID", "falgate/fal-key")
                .containsEntry("CURSOR_SECRET_ID",
                        "arn:aws:secretsmanager:us-east-1:000000000000:secret:falgate-CursorSecret")
                .containsEntry("WEBHOOK_BASE_URL", "")
                .containsEntry("RETENTION_DAYS", "30")
                .containsEntry("FALGATE_ENDPOINT_DYNAMODB", "")
                .containsEntry("FALGATE_S3_PATH_STYLE", "false");
    }

    @Test
    void parameterOverridesReplaceDefaultsAndUnknownOnesAreRefused() {
        TemplateModel model = real(Map.of("FalQueueBaseUrl", "http://127.0.0.1:58765", "RetentionDays", "7"));

        assertThat(model.function("ReadFunction").environment())
                .containsEntry("FAL_QUEUE_BASE_URL", "http://127.0.0.1:58765").containsEntry("RETENTION_DAYS", "7");
        assertThatThrownBy(() -> real(Map.of("NoSuchParameter", "x"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("NoSuchParameter");
        assertThatThrownBy(() -> real(Map.of("Architecture", "sparc"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("not one of");
    }

    @Test
    void readsTheJobsTable() {
        TableDef table = real(Map.of()).table("JobsTable");

        assertThat(table.tableName()).isEqualTo("falgate-JobsTable");
        assertThat(table.keySchema()).containsExactly(new KeyElement("pk", "HASH"), new KeyElement("sk", "RANGE"));
        assertThat(table.billingMode()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.ttlAttribute()).isEqualTo("ttl");
        assertThat(table.attributeTypes()).containsOnlyKeys("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi3pk",
                "sweep_pk", "sweep_at");
        assertThat(table.attributeTypes()).containsEntry("sweep_at", "N");
        assertThat(table.globalIndexes()).extracting(IndexDef::indexName)
                .containsExactly("by_tenant", "by_status", "by_model", "by_sweep");
        assertThat(table.index("by_status").orElseThrow().keySchema())
                .containsExactly(new KeyElement("gsi2pk", "HASH"), new KeyElement("gsi1sk", "RANGE"));
    }

    @Test
    void readsTheQueuesWithTheirRedrivePolicy() {
        TemplateModel model = real(Map.of());

        QueueDef poll = model.queue("PollQueue");
        assertThat(poll.queueName()).isEqualTo("falgate-PollQueue");
        assertThat(poll.deadLetterQueue()).contains("PollDeadLetterQueue");
        assertThat(poll.attributes()).containsEntry("VisibilityTimeout", "720")
                .containsEntry("MessageRetentionPeriod", "345600")
                .containsEntry("RedrivePolicy", "{\"deadLetterTargetArn\":"
                        + "\"arn:aws:sqs:us-east-1:000000000000:falgate-PollDeadLetterQueue\",\"maxReceiveCount\":5}")
                .doesNotContainKey("SqsManagedSseEnabled");
        assertThat(model.queue("PollDeadLetterQueue").deadLetterQueue()).isEmpty();
        assertThat(model.queue("WebhookQueue").deadLetterQueue()).contains("WebhookDeadLetterQueue");
        assertThat(model.queues()).hasSize(5);
    }

    @Test
    void readsTheBucketAndItsCors() {
        TemplateModel model = real(Map.of("AllowedOrigin", "http://localhost:5173"));

        BucketDef bucket = model.bucket("FilesBucket");
        assertThat(bucket.bucketName()).isEqualTo("falgate-filesbucket");
        assertThat(bucket.corsRules()).containsExactly(new BucketDef.CorsRule(List.of("http://localhost:5173"),
                List.of("GET", "PUT", "HEAD"), List.of("*"), List.of("ETag"), 600));
        assertThat(model.httpApiCors().orElseThrow().allowedHeaders())
                .startsWith("authorization", "content-type", "idempotency-key", "prefer")
                .contains("x-fal-target-url", "accept"); // @fal-ai/client through /api/fal/proxy
        assertThat(model.httpApiCors().orElseThrow().allowedMethods()).contains("PUT");
    }

    @Test
    void resolvesSubAndGetAttAnywhereInTheTemplate() {
        TemplateModel model = real(Map.of());

        assertThat(model.resolve(Map.of("Fn::Sub",
                "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:${FalKeySecretName}-*")))
                .isEqualTo("arn:aws:secretsmanager:us-east-1:000000000000:secret:falgate/fal-key-*");
        assertThat(model.resolve(Map.of("Fn::Sub", "${FilesBucket.Arn}/*")))
                .isEqualTo("arn:aws:s3:::falgate-filesbucket/*");
        assertThat(model.resolve(Map.of("Fn::GetAtt", List.of("PollQueue", "QueueName"))))
                .isEqualTo("falgate-PollQueue");
        assertThat(model.resolve(Map.of("Fn::Sub", "/aws/lambda/${SubmitFunction}")))
                .isEqualTo("/aws/lambda/falgate-SubmitFunction");
        assertThat(model.resolve(Map.of("Fn::Sub", "${!Literal} ${AWS::StackName}"))).isEqualTo("${Literal} falgate");
    }

    @Test
    void readsShortFormTagsConditionsAndSubInTheTestTemplate() {
        TemplateModel dev = TemplateModel.load(TestPaths.testTemplate(), StackContext.local(SQS, Map.of()));
        TemplateModel prod = TemplateModel.load(TestPaths.testTemplate(),
                StackContext.local(SQS, Map.of("Stage", "prod")));

        assertThat(dev.function("WorkerFunction").environment()).containsEntry("MODE", "development")
                .containsEntry("LABEL", "hello-falgate-WorkQueue-us-east-1")
                .containsEntry("GREETING", "hello");
        assertThat(prod.function("WorkerFunction").environment()).containsEntry("MODE", "production");
        assertThat(dev.function("EchoFunction").environment()).containsEntry("GREETING", "hello, echo");
        assertThat(dev.function("WorkerFunction").timeoutSeconds()).isEqualTo(5);
        assertThat(dev.function("EchoFunction").routes()).extracting(HttpRouteDef::routeKey)
                .contains("ANY /files/{path+}");
    }

    @Test
    void refusesIntrinsicsItCannotEmulate() {
        TemplateModel model = real(Map.of());

        assertThatThrownBy(() -> model.resolve(Map.of("Fn::ImportValue", "other-stack-output")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Fn::ImportValue");
        assertThatThrownBy(() -> model.resolve(Map.of("Fn::GetAtt", List.of("JobsTable", "StreamArn"))))
                .isInstanceOf(TemplateException.class).hasMessageContaining("StreamArn");
    }
}
