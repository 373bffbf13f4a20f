package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.falgate.callback.CallbackHandler;
import dev.falgate.poller.DeadLetterHandler;
import dev.falgate.poller.PollerHandler;
import dev.falgate.poller.SweepHandler;
import dev.falgate.proxy.FalProxyHandler;
import dev.falgate.read.ReadHandler;
import dev.falgate.snapstart.Primer;
import dev.falgate.submit.SubmitHandler;
import dev.falgate.webhooks.WebhookHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Every function's SnapStart primer, run as Lambda would before the snapshot, against the
 * embedded stack: each step completes (so its real calls reached DynamoDB Local and the loopback
 * fal), nothing is stored; with DynamoDB unreachable the real-call steps fail and priming still
 * completes the rest without throwing.
 */
class PrimingTest {
    static final Map<String, Function<Map<String, String>, Object>> HANDLERS = Map.of(
            "SubmitHandler", SubmitHandler::new, "ReadHandler", ReadHandler::new,
            "CallbackHandler", CallbackHandler::new, "PollerHandler", PollerHandler::new,
            "SweepHandler", SweepHandler::new, "DeadLetterHandler", DeadLetterHandler::new,
            "WebhookHandler", WebhookHandler::new, "FalProxyHandler", FalProxyHandler::new);

    @ParameterizedTest
    @CsvSource({"SubmitFunction, SubmitHandler", "ReadFunction, ReadHandler", "CallbackFunction, CallbackHandler",
            "PollerFunction, PollerHandler", "SweeperFunction, SweepHandler", "DeadLetterFunction, DeadLetterHandler",
            "WebhookFunction, WebhookHandler", "FalProxyFunction, FalProxyHandler"})
    void everyStepCompletesAndNothingIsStored(String function, String handler) {
        TestStack stack = TestStack.get();
        Primer primer = primerOf(handler, stack.stack.environment(function));

        Primer.Report report = primer.prime();

        assertThat(report.failed()).as(handler + " steps that failed").isEmpty();
        assertThat(report.primed()).containsExactlyElementsOf(primer.stepNames());
        assertThat(stack.dynamoDb().scan(ScanRequest.builder().tableName(stack.jobsTable())
                .filterExpression("contains(pk, :p)")
                .expressionAttributeValues(Map.of(":p", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                        .fromS("PRIMER"))).build()).count()).as("items written by priming").isZero();
    }

    @ParameterizedTest
    @CsvSource({"SubmitFunction, SubmitHandler", "CallbackFunction, CallbackHandler", "PollerFunction, PollerHandler"})
    void withDynamoDbDownTheRealCallsFailAndPrimingCarriesOn(String function, String handler) {
        Map<String, String> env = new HashMap<>(TestStack.get().stack.environment(function));
        env.put("FALGATE_ENDPOINT_DYNAMODB", "http://127.0.0.1:1"); // nothing listens on port 1
        Primer primer = primerOf(handler, env);

        assertThatCode(() -> primer.beforeCheckpoint(null)).doesNotThrowAnyException();

        Primer.Report report = primer.lastReport();
        assertThat(report.failed()).containsKey("DynamoDB GetItem of a job that does not exist");
        assertThat(report.primed()).contains("Jackson round trip of a job")
                .anyMatch(step -> step.contains("in memory"));
    }

    private static Primer primerOf(String handler, Map<String, String> env) {
        HANDLERS.get(handler).apply(env);
        return Primer.registered(handler).orElseThrow();
    }
}
