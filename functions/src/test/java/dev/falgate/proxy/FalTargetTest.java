package dev.falgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FalTargetTest {
    private static FalTarget parse(String url, String method) {
        return FalTarget.parse(Optional.of(url), method);
    }

    @Test
    void readsTheQueueCallsTheClientMakes() {
        FalTarget submit = parse("https://queue.fal.run/tripo3d/tripo/v2.5/image-to-3d", "POST");
        assertThat(submit.kind()).isEqualTo(FalTarget.Kind.SUBMIT);
        assertThat(submit.path()).isEqualTo("tripo3d/tripo/v2.5/image-to-3d");

        FalTarget status = parse("https://queue.fal.run/tripo3d/tripo/requests/job_1/status?logs=1", "GET");
        assertThat(status).extracting(FalTarget::kind, FalTarget::path, FalTarget::requestId)
                .containsExactly(FalTarget.Kind.STATUS, "tripo3d/tripo", "job_1");
        assertThat(status.flag("logs")).isTrue();
        assertThat(parse("https://queue.fal.run/a/b/requests/job_1/status/stream?logs=0", "GET").kind())
                .isEqualTo(FalTarget.Kind.STATUS_STREAM);
        assertThat(parse("https://queue.fal.run/a/b/requests/job_1", "GET").kind()).isEqualTo(FalTarget.Kind.RESULT);
        assertThat(parse("https://queue.fal.run/a/b/requests/job_1/cancel", "PUT").kind()).isEqualTo(FalTarget.Kind.CANCEL);
        assertThat(parse("https://fal.run/fal-ai/trellis", "POST").kind()).isEqualTo(FalTarget.Kind.RUN);
        assertThat(parse("https://fal.run/fal-ai/trellis/stream", "POST")).extracting(FalTarget::kind, FalTarget::path)
                .containsExactly(FalTarget.Kind.RUN_STREAM, "fal-ai/trellis");
        assertThat(parse("https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", "POST").kind())
                .isEqualTo(FalTarget.Kind.UPLOAD_INITIATE);
    }

    @Test
    void refusesEveryHostButFalsAndTheirOtherRoutes() {
        assertThatThrownBy(() -> parse("https://example.com/fal-ai/trellis", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> parse("http://queue.fal.run/fal-ai/trellis", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> parse("https://queue.fal.run:8443/fal-ai/trellis", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> parse("https://user@queue.fal.run/fal-ai/trellis", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> parse("https://rest.fal.ai/tokens/", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(403));
        assertThatThrownBy(() -> FalTarget.parse(Optional.empty(), "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(400));
        assertThatThrownBy(() -> parse("https://queue.fal.run/a/b/requests/job_1", "POST"))
                .isInstanceOfSatisfying(ProxyRefusal.class, r -> assertThat(r.status()).isEqualTo(405));
    }

    @Test
    void aFieldPathBecomesFastApisLoc() {
        assertThat(FalShapes.loc("input.image_url").toString()).isEqualTo("[\"body\",\"image_url\"]");
        assertThat(FalShapes.loc("input.image_urls[2]").toString()).isEqualTo("[\"body\",\"image_urls\",2]");
        assertThat(FalShapes.appOf("tripo3d/tripo/v2.5/image-to-3d")).isEqualTo("tripo3d/tripo");
    }
}
