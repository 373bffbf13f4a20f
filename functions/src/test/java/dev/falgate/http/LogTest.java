package dev.falgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.telemetry.LogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every log line names what it is about: request id, tenant and job, as far as they are known. */
class LogTest {
    @Test
    void aLineCarriesTheRequestTenantAndJobOfItsInvocation() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (LogContext.Scope invocation = LogContext.begin("c0ffee-req")) {
            Log.info(null, "before the job is known");
            LogContext.job("job_01JOB", "acme");
            Log.warn(null, "poll was late");
        } finally {
            System.setErr(stderr);
        }

        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        JsonNode early = Json.parse(lines[0]);
        JsonNode late = Json.parse(lines[1]);
        assertThat(early.get("request_id").asText()).isEqualTo("c0ffee-req");
        assertThat(early.has("job_id")).isFalse();
        assertThat(late.get("request_id").asText()).isEqualTo("c0ffee-req");
        assertThat(late.get("tenant").asText()).isEqualTo("acme");
        assertThat(late.get("job_id").asText()).isEqualTo("job_01JOB");
        assertThat(late.get("level").asText()).isEqualTo("WARN");
        assertThat(late.get("message").asText()).isEqualTo("poll was late");
    }
}
