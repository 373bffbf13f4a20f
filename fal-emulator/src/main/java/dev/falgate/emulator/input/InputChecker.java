package dev.falgate.emulator.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.image.ImageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The emulator's own input checks, as a fal model app would make them (not falgate's
 * validator): required file fields present, file URLs http(s) or data URIs, every file
 * downloadable, image fields really images. Problems are reported in FastAPI's 422 shape.
 */
public final class InputChecker {
    private final InputFetcher fetcher;

    public InputChecker(InputFetcher fetcher) {
        this.fetcher = fetcher;
    }

    public InputCheck check(ModelSpec model, ObjectNode input) {
        List<InputFile> files = new ArrayList<>();
        ArrayNode problems = Json.array();
        for (FieldSpec field : model.fileInputs()) {
            checkField(field, input.get(field.name()), files, problems);
        }
        return new InputCheck(List.copyOf(files), problems);
    }

    private void checkField(FieldSpec field, JsonNode value, List<InputFile> files,
            ArrayNode problems) {
        if (value == null || value.isNull()) {
            if (field.required()) {
                problems.add(issue(field, -1, "field required", "value_error.missing"));
            }
            return;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkUrl(field, i, value.get(i), files, problems);
            }
        } else {
            // fal's own examples send a bare string to list fields; the apps accept it
            checkUrl(field, field.isList() ? 0 : -1, value, files, problems);
        }
    }

    private void checkUrl(FieldSpec field, int index, JsonNode value, List<InputFile> files,
            ArrayNode problems) {
        String url = value.isTextual() ? value.asText() : "";
        if (!hasAllowedScheme(url)) {
            problems.add(issue(field, index, "invalid or missing URL scheme",
                    "value_error.url.scheme"));
            return;
        }
        try {
            InputFetcher.Fetched fetched = fetcher.fetch(url);
            if ("image".equals(field.fileKind()) && !ImageCodec.looksLikeImage(fetched.bytes())) {
                problems.add(issue(field, index,
                        "Failed to load the image. Please ensure the image file is not corrupted "
                                + "and is in a supported format.", "image_load_error"));
                return;
            }
            files.add(new InputFile(field.name(), Math.max(index, 0), field.fileKind(), url,
                    fetched.bytes(), fetched.contentType()));
        } catch (FetchFailedException e) {
            problems.add(issue(field, index,
                    "Failed to download the file. Please check if the URL is accessible and try "
                            + "again.", "file_download_error"));
        }
    }

    private static boolean hasAllowedScheme(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://")
                || lower.startsWith("data:");
    }

    private static ObjectNode issue(FieldSpec field, int index, String msg, String type) {
        ObjectNode issue = Json.object();
        ArrayNode loc = issue.putArray("loc").add("body").add(field.name());
        if (index >= 0) {
            loc.add(index);
        }
        return issue.put("msg", msg).put("type", type);
    }
}
