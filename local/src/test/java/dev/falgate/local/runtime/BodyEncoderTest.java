package dev.falgate.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.local.Base64Bodies;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyEncoderTest {
    private static final byte[] TEXT = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void binaryOnlyEncodesWhatIsNotText() {
        BodyEncoder encoder = new BodyEncoder(Base64Bodies.BINARY_ONLY, 0);

        assertThat(encoder.encode(TEXT, "application/json")).isEqualTo(new BodyEncoder.EncodedBody("{\"a\":1}", false));
        assertThat(encoder.encode(TEXT, "image/png").base64()).isTrue();
        assertThat(encoder.encode(TEXT, null).base64()).as("no content type").isTrue();
        assertThat(encoder.encode(new byte[0], "image/png")).isEqualTo(new BodyEncoder.EncodedBody(null, false));
    }

    @Test
    void alwaysEncodesText() {
        assertThat(new BodyEncoder(Base64Bodies.ALWAYS, 0).encode(TEXT, "text/plain"))
                .isEqualTo(new BodyEncoder.EncodedBody("eyJhIjoxfQ==", true));
    }

    @Test
    void knowsTheTextTypes() {
        assertThat(BodyEncoder.isText("application/json; charset=utf-8")).isTrue();
        assertThat(BodyEncoder.isText("application/problem+json")).isTrue();
        assertThat(BodyEncoder.isText("TEXT/HTML")).isTrue();
        assertThat(BodyEncoder.isText("application/x-www-form-urlencoded")).isTrue();
        assertThat(BodyEncoder.isText("multipart/form-data; boundary=x")).isFalse();
        assertThat(BodyEncoder.isText("application/octet-stream")).isFalse();
    }
}
