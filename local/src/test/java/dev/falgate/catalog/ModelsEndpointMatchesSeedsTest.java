package dev.falgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.e2e.Api;
import dev.falgate.e2e.TestStack;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/models}, served by the running stack, against the seed pages as read by the
 * catalog's own independent regex reader: every model, every input field name in order, and
 * every default and enum the page states (unless a reviewed override, with its reason, changes it).
 */
class ModelsEndpointMatchesSeedsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsAll23ModelsWithTheSeedsFieldsDefaultsAndEnums() throws Exception {
        Api.Response r = TestStack.get().api.get("/v1/models", TestStack.ACME_KEY);
        assertThat(r.status()).isEqualTo(200);
        JsonNode models = r.json().get("models");
        Map<String, RawSeeds.Model> pages = RawSeeds.read(RepoPaths.seedsDir());
        assertThat(models).hasSize(23);
        assertThat(models.findValuesAsText("id").stream().filter(pages::containsKey)).hasSize(23);
        assertThat(models).isEqualTo(JSON.readTree(Files.readString(RepoPaths.committedCatalog())));

        Map<String, CatalogOverrides.ModelOverride> overrides = CatalogOverrides.standard().models().stream()
                .collect(Collectors.toMap(CatalogOverrides.ModelOverride::model, o -> o));
        SoftAssertions soft = new SoftAssertions();
        for (JsonNode model : models) {
            String id = model.get("id").asText();
            RawSeeds.Model page = pages.get(id);
            List<String> names = new ArrayList<>();
            model.get("inputs").forEach(f -> names.add(f.get("name").asText()));
            soft.assertThat(names).as(id).containsExactlyElementsOf(page.inputs().stream().map(RawSeeds.Field::name).toList());
            for (RawSeeds.Field raw : page.inputs()) {
                JsonNode field = fieldNamed(model, raw.name());
                Set<String> patched = patched(overrides.get(id), raw.name());
                if (!patched.contains("default")) {
                    soft.assertThat(field.get("default").isNull() ? null : unquoted(field.get("default")))
                            .as(id + " " + raw.name() + " default")
                            .isEqualTo(raw.defaultText().map(ModelsEndpointMatchesSeedsTest::unquoted).orElse(null));
                }
                if (!patched.contains("enum")) {
                    soft.assertThat(field.get("enum").isNull() ? null : texts(field.get("enum")))
                            .as(id + " " + raw.name() + " enum").isEqualTo(raw.enumValues().orElse(null));
                }
            }
        }
        soft.assertAll();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static JsonNode fieldNamed(JsonNode model, String name) {
        for (JsonNode f : model.get("inputs")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no field " + name);
    }

    private static Set<String> patched(CatalogOverrides.ModelOverride override, String field) {
        return override.inputs().stream().filter(p -> p.fields().contains(field))
                .flatMap(p -> p.set().properties().stream().map(Map.Entry::getKey)).collect(Collectors.toSet());
    }

    /** A default as text, whichever way it is written: {@code "2"}, {@code 2}, {@code 3.5}, {@code true}. */
    private static String unquoted(Object v) {
        String s = v instanceof JsonNode n ? (n.isTextual() ? n.asText() : n.toString()) : v.toString();
        return s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2 ? s.substring(1, s.length() - 1) : s;
    }
}
