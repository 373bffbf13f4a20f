package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.ApiException;

/** For tests: a body the validator must accept, checked as submit checks it (one 400 listing every problem otherwise). */
public final class Valid {
    private Valid() {
    }

    public static InputValidator.Checked input(InputValidator validator, JsonNode body) {
        InputValidator.Checked c = validator.check(body);
        if (!c.errors().isEmpty()) {
            throw ApiException.validation(c.errors());
        }
        return c;
    }
}
