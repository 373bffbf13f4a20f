package dev.falgate.emulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.queue.InfrastructureError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
    private static final int DRAWS = 1000;

    @Test
    void aProbabilisticKnobFiresWithinFourSigmaOfItsProbability() {
        StatsRecorder stats = new StatsRecorder();
        FaultPlan plan = new FaultPlan(FaultSettings.none().withSeed(20240817)
                .with(Fault.DROP_WEBHOOK, Knob.probability(0.3)), stats);

        long fired = draws(plan, Fault.DROP_WEBHOOK).stream().filter(b -> b).count();

        double mean = DRAWS * 0.3;
        double sigma = Math.sqrt(DRAWS * 0.3 * 0.7); // binomial: ~14.5
        assertThat((double) fired).isBetween(mean - 4 * sigma, mean + 4 * sigma);
        assertThat(stats.snapshot().fired(Fault.DROP_WEBHOOK)).isEqualTo(fired);
    }

    @Test
    void theSameSeedRepeatsARunAndAnotherSeedDoesNot() {
        FaultSettings settings = FaultSettings.none().withSeed(7)
                .with(Fault.MODEL_ERROR, Knob.probability(0.5));

        List<Boolean> first = draws(new FaultPlan(settings, new StatsRecorder()), Fault.MODEL_ERROR);
        List<Boolean> again = draws(new FaultPlan(settings, new StatsRecorder()), Fault.MODEL_ERROR);
        List<Boolean> other = draws(new FaultPlan(settings.withSeed(8), new StatsRecorder()),
                Fault.MODEL_ERROR);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void knobsOfOnePlanDrawIndependently() {
        FaultPlan plan = new FaultPlan(FaultSettings.none()
                .with(Fault.DROP_WEBHOOK, Knob.probability(0.5))
                .with(Fault.DUPLICATE_WEBHOOK, Knob.probability(0.5)), new StatsRecorder());

        assertThat(draws(plan, Fault.DROP_WEBHOOK)).isNotEqualTo(draws(plan, Fault.DUPLICATE_WEBHOOK));
    }

    @Test
    void aCountKnobFiresExactlyThatOftenAndReportsWhatRemains() {
        FaultPlan plan = new FaultPlan(FaultSettings.none()
                .with(Fault.SUBMIT_HTTP_ERROR, Knob.count(2).withStatus(429)), new StatsRecorder());

        assertThat(plan.fires(Fault.SUBMIT_HTTP_ERROR)).isTrue();
        assertThat(plan.current().knobs().get(Fault.SUBMIT_HTTP_ERROR).count()).isEqualTo(1);
        assertThat(plan.fires(Fault.SUBMIT_HTTP_ERROR)).isTrue();
        assertThat(plan.fires(Fault.SUBMIT_HTTP_ERROR)).isFalse();
        assertThat(plan.status(Fault.SUBMIT_HTTP_ERROR)).isEqualTo(429);
        assertThat(plan.fires(Fault.RESULT_HTTP_ERROR)).as("unarmed").isFalse();
    }

    @Test
    void jsonRoundTripsAndParametersHaveDefaults() {
        FaultSettings settings = FaultSettings.parse("""
                {"seed": 3, "knobs": {
                  "delay_webhook": {"probability": 0.25, "delay_ms": 1500, "seed": 11},
                  "infrastructure_error": {"count": 1, "error_type": "request_timeout"},
                  "result_http_error": {"count": 4}}}""");
        FaultPlan plan = new FaultPlan(settings, new StatsRecorder());

        assertThat(FaultSettings.fromJson(settings.toJson())).isEqualTo(settings);
        assertThat(plan.delay(Fault.DELAY_WEBHOOK)).isEqualTo(Duration.ofMillis(1500));
        assertThat(plan.errorType(Fault.INFRASTRUCTURE_ERROR))
                .isEqualTo(InfrastructureError.REQUEST_TIMEOUT);
        assertThat(plan.status(Fault.RESULT_HTTP_ERROR)).isEqualTo(503);
        assertThat(plan.delay(Fault.SLOW_DOWNLOAD)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUpdateChangesOnlyTheKnobsItNames() {
        FaultPlan plan = new FaultPlan(FaultSettings.none()
                .with(Fault.DROP_WEBHOOK, Knob.always())
                .with(Fault.MODEL_ERROR, Knob.count(3)), new StatsRecorder());

        plan.update(Json.object().set("knobs", Json.object().putNull("drop_webhook")
                .set("payload_error", Json.object().put("count", 1))));

        assertThat(plan.current().knobs()).containsOnlyKeys(Fault.MODEL_ERROR, Fault.PAYLOAD_ERROR);
        plan.update(Json.object().put("reset", true));
        assertThat(plan.current().knobs()).isEmpty();
    }

    @Test
    void badSettingsAreRefusedWithTheReasonAndChangeNothing() {
        FaultPlan plan = new FaultPlan(FaultSettings.none()
                .with(Fault.DROP_WEBHOOK, Knob.always()), new StatsRecorder());

        assertRefused(plan, "{\"knobs\": {\"no_such_knob\": {\"count\": 1}}}", "unknown knob");
        assertRefused(plan, "{\"knobs\": {\"drop_webhook\": {\"probability\": 1.5}}}", "[0, 1]");
        assertRefused(plan, "{\"knobs\": {\"drop_webhook\": {}}}", "exactly one");
        assertRefused(plan, "{\"knobs\": {\"drop_webhook\": {\"count\": 1, \"status\": 500}}}",
                "does not take status");
        assertRefused(plan, "{\"knobs\": {\"submit_http_error\": {\"count\": 1, \"status\": 404}}}",
                "429 or 5xx");
        assertRefused(plan, "{\"knobs\": {\"infrastructure_error\": {\"count\": 1, "
                + "\"error_type\": \"gremlins\"}}}", "unknown error_type");
        assertRefused(plan, "{\"knobs\": {\"model_error\": {\"count\": 1}}, \"reset\": 1}",
                "reset must be a boolean");
        assertThat(plan.current().knobs()).containsOnlyKeys(Fault.DROP_WEBHOOK);
        assertThatThrownBy(() -> FaultSettings.parse("{not json"))
                .hasMessageContaining("not JSON");
    }

    private static void assertRefused(FaultPlan plan, String json, String reason) {
        assertThatThrownBy(() -> plan.update(readTree(json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Boolean> draws(FaultPlan plan, Fault fault) {
        List<Boolean> results = new ArrayList<>();
        for (int i = 0; i < DRAWS; i++) {
            results.add(plan.fires(fault));
        }
        return results;
    }
}
