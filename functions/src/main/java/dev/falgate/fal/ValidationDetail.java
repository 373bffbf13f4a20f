package dev.falgate.fal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * fal's 422 {@code detail} (FastAPI's {@code [{loc, msg, type}]}) as a sentence for our API:
 * each problem as {@code input.image_url: msg}. fal's {@code loc} starts at its request body,
 * which is our job's {@code input}, so the path reads like our own validation errors' fields.
 */
public final class ValidationDetail {
    private ValidationDetail() {
    }

    /** Every problem of a non-empty {@code detail} array, joined with "; ". */
    public static String describe(JsonNode detail) {
        return StreamSupport.stream(detail.spliterator(), false).map(ValidationDetail::problem)
                .collect(Collectors.joining("; "));
    }

    private static String problem(JsonNode problem) {
        return path(problem.path("loc")) + ": " + problem.path("msg").asText("fal refused the input");
    }

    private static String path(JsonNode loc) {
        StringBuilder path = new StringBuilder("input");
        for (int i = 0; i < loc.size(); i++) {
            JsonNode part = loc.get(i);
            if (i == 0 && "body".equals(part.asText())) {
                continue;
            }
            path.append(part.isInt() ? "[" + part.asInt() + "]" : "." + part.asText());
        }
        return path.toString();
    }
}
