package dev.falgate.fal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.http.Json;
import org.junit.jupiter.api.Test;

class ValidationDetailTest {
    /** The emulator's model error: the whole body, no one field. */
    @Test
    void aProblemWithTheWholeBodyIsTheInputs() {
        assertThat(ValidationDetail.describe(Json.parse(
                "[{\"loc\":[\"body\"],\"msg\":\"The model could not process this input\",\"type\":\"value_error\"}]")))
                .isEqualTo("input: The model could not process this input");
    }

    @Test
    void namesEachFieldAsOurOwnErrorsDoAndJoinsThem() {
        assertThat(ValidationDetail.describe(Json.parse("[{\"loc\":[\"body\",\"image_urls\",1],\"msg\":\"not an image\"},"
                + "{\"loc\":[\"body\",\"prompt\"],\"msg\":\"too long\"},{\"msg\":\"no location\"}]")))
                .isEqualTo("input.image_urls[1]: not an image; input.prompt: too long; input: no location");
    }
}
