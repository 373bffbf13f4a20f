package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.contract.OpenApiLintTest;
import dev.falgate.contract.Processes;
import dev.falgate.local.testing.TestPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml as an operator deploys it: the newest cfn-lint (pinned in src/test/cfn-lint, in a
 * venv of its own) finds nothing, informational checks included, in the template and in its
 * SAM-expanded form (aws-sam-translator, what CloudFormation receives); and the expanded
 * template holds what issue 12 asks of it (alarms, Retain, visibility, throttling).
 */
class CfnLintTest {
    private static final Duration RUN = Duration.ofMinutes(2);
    private static final Set<String> STATEFUL_KEPT = Set.of("JobsTable", "CursorSecret", "WebhookSecret", "FilesBucket");

    private static Path expanded;
    private static JsonNode resources;

    @BeforeAll
    static void installAndExpand() throws Exception {
        expanded = SamExpansion.expand(TestPaths.repoTemplate(), OpenApiLintTest.MODULE.resolve("target/template-expanded.json"));
        resources = new ObjectMapper().readTree(expanded.toFile()).get("Resources");
    }

    @Test
    void theNewestCfnLintFindsNothingInTheTemplate() throws Exception {
        Processes.Result lint = cfnLint(TestPaths.repoTemplate());

        assertThat(lint.output()).as("cfn-lint output").isBlank();
        assertThat(lint.exit()).isZero();
    }

    @Test
    void theNewestCfnLintFindsNothingInTheSamExpandedTemplate() throws Exception {
        Processes.Result lint = cfnLint(expanded);

        assertThat(lint.output()).as("cfn-lint output").isBlank();
        assertThat(lint.exit()).isZero();
    }

    @Test
    void everyFunctionHasAnErrorsAndAThrottlesAlarmThatCanNotifyTheOptionalTopic() {
        for (String function : ofType("AWS::Lambda::Function")) {
            Set<String> metrics = new TreeSet<>();
            for (String id : ofType("AWS::CloudWatch::Alarm")) {
                JsonNode alarm = resources.get(id).get("Properties");
                if (alarm.path("Namespace").asText().equals("AWS/Lambda")
                        && alarm.at("/Dimensions/0/Value/Ref").asText().equals(function)) {
                    metrics.add(alarm.get("MetricName").asText());
                    assertThat(alarm.at("/AlarmActions/Fn::If/0").asText()).as(id).isEqualTo("HasAlarmEmail");
                    assertThat(alarm.at("/AlarmActions/Fn::If/1/0/Ref").asText()).as(id).isEqualTo("AlarmTopic");
                }
            }
            assertThat(metrics).as(function + "'s alarms").containsExactly("Errors", "Throttles");
        }
        assertThat(resources.at("/AlarmTopic/Condition").asText()).isEqualTo("HasAlarmEmail");
    }

    @Test
    void everyDeadLetterQueueHasAnAlarmOnVisibleMessages() {
        Set<String> deadLetterQueues = new TreeSet<>();
        for (String queue : ofType("AWS::SQS::Queue")) {
            JsonNode target = resources.get(queue).at("/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0");
            if (!target.isMissingNode()) {
                deadLetterQueues.add(target.asText());
            }
        }
        assertThat(deadLetterQueues).containsExactlyInAnyOrder("PollDeadLetterQueue", "WebhookDeadLetterQueue");
        for (String queue : deadLetterQueues) {
            assertThat(ofType("AWS::CloudWatch::Alarm")).as("an alarm on " + queue).anySatisfy(id -> {
                JsonNode alarm = resources.get(id).get("Properties");
                assertThat(alarm.get("MetricName").asText()).isEqualTo("ApproximateNumberOfMessagesVisible");
                assertThat(alarm.at("/Dimensions/0/Value/Fn::GetAtt/0").asText()).isEqualTo(queue);
                assertThat(alarm.get("Threshold").asInt()).isZero();
                assertThat(alarm.get("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
            });
        }
    }

    @Test
    void everyConsumedQueueStaysHiddenSixTimesItsConsumersTimeoutByDefault() {
        TemplateModel template = TemplateModel.load(TestPaths.repoTemplate(),
                StackContext.local(java.net.URI.create("http://127.0.0.1:9"), Map.of()));
        List<String> checked = new ArrayList<>();
        for (FunctionDef function : template.functions()) {
            for (SqsEventDef event : function.sqsEvents()) {
                int visibility = Integer.parseInt(template.queue(event.queueLogicalId()).attributes()
                        .getOrDefault("VisibilityTimeout", "30"));
                assertThat(visibility).as(event.queueLogicalId() + " read by " + function.logicalId())
                        .isGreaterThanOrEqualTo(6 * function.timeoutSeconds());
                checked.add(event.queueLogicalId());
            }
        }
        assertThat(checked).containsExactlyInAnyOrder("PollQueue", "FinishQueue", "PollDeadLetterQueue", "WebhookQueue");
    }

    @Test
    void stateIsRetainedAndTheApiThrottlesEveryRoute() {
        for (String id : STATEFUL_KEPT) {
            assertThat(resources.at("/" + id + "/DeletionPolicy").asText()).as(id).isEqualTo("Retain");
            assertThat(resources.at("/" + id + "/UpdateReplacePolicy").asText()).as(id).isEqualTo("Retain");
        }
        JsonNode stage = resources.get(ofType("AWS::ApiGatewayV2::Stage").get(0)).get("Properties");
        assertThat(stage.at("/DefaultRouteSettings/ThrottlingBurstLimit/Ref").asText()).isEqualTo("ApiThrottlingBurstLimit");
        assertThat(stage.at("/DefaultRouteSettings/ThrottlingRateLimit/Ref").asText()).isEqualTo("ApiThrottlingRateLimit");
    }

    private static List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    private static Processes.Result cfnLint(Path template) throws Exception {
        return Processes.run(SamExpansion.DIR, RUN, Map.of(), List.of(SamExpansion.venv().resolve("bin/cfn-lint").toString(),
                "--include-checks", "I", "--", template.toString()));
    }

}
