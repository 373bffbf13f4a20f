package dev.falgate.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What one access-log line shows of a request's target. */
class AccessLogTest {
    @Test
    void showsTheQueryStringAsSent() {
        assertThat(HttpFront.accessTarget(URI.create("/v1/jobs?status=failed&model=fal-ai%2Ftrellis&limit=5")))
                .isEqualTo("/v1/jobs?status=failed&model=fal-ai%2Ftrellis&limit=5");
        assertThat(HttpFront.accessTarget(URI.create("/v1/jobs"))).isEqualTo("/v1/jobs");
    }

    @Test
    void masksAWebhookToken() {
        assertThat(HttpFront.accessTarget(URI.create("/v1/webhooks/fal/job_1?token=s3cret&x=1")))
                .isEqualTo("/v1/webhooks/fal/job_1?token=***&x=1");
        assertThat(HttpFront.accessTarget(URI.create("/v1/webhooks/fal/job_1?x=1&token=s3cret")))
                .isEqualTo("/v1/webhooks/fal/job_1?x=1&token=***");
    }
}
