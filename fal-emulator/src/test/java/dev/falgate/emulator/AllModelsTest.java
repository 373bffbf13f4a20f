package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.OutputField;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every catalog model, from its seed page's example input (file URLs swapped for local ones):
 * the result has every file field the catalog lists, shaped as the schema says, downloadable.
 */
class AllModelsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(2000).build());

    @Test
    void everyModelReturnsEveryFileOutputItsSchemaLists() {
        assertThat(Catalog.standard().models()).hasSize(23);
        Map<ModelSpec, JsonNode> submitted = new LinkedHashMap<>();
        for (ModelSpec model : Catalog.standard().models()) {
            FalTestClient.Response response = running.fal().submit(model.id(), localInput(model), null);
            assertThat(response.status()).as(model.id()).isEqualTo(200);
            submitted.put(model, response.json());
        }
        submitted.forEach((model, submit) -> {
            JsonNode status = running.fal().awaitCompleted(submit, TIMEOUT);
            assertThat(status.has("error")).as(model.id() + " " + status).isFalse();
            FalTestClient.Response result = running.fal().get(submit.get("response_url").asText());
            assertThat(result.status()).as(model.id()).isEqualTo(200);
            for (OutputField field : model.fileOutputs()) {
                assertFileField(model, field, result.json().get(field.name()));
            }
        });
        assertThat(running.emulator().stats().totals().submits()).isEqualTo(23);
    }

    @Test
    void era3dReturnsSixViewsAndSixNormalMaps() {
        ModelSpec era3d = Catalog.standard().find("fal-ai/era-3d").orElseThrow();
        JsonNode submit = running.fal().submit(era3d.id(), localInput(era3d), null).json();
        running.fal().awaitCompleted(submit, TIMEOUT);

        JsonNode result = running.fal().get(submit.get("response_url").asText()).json();

        assertThat(result.get("images")).hasSize(6);
        assertThat(result.get("normal_images")).hasSize(6);
        assertThat(result.at("/images/0/width").asInt()).isEqualTo(400); // crop_size default
    }

    private static void assertFileField(ModelSpec model, OutputField field, JsonNode value) {
        String where = model.id() + " ." + field.name();
        assertThat(value).as(where).isNotNull();
        assertThat(value.isArray()).as(where + " list").isEqualTo(field.list());
        for (JsonNode file : field.list() ? value : Json.array().add(value)) {
            assertThat(file.isObject()).as(where).isTrue();
            for (String key : new String[] {"url", "content_type", "file_name", "file_size"}) {
                assertThat(file.has(key)).as(where + " has " + key).isTrue();
            }
            if (field.kind().equals("image")) {
                assertThat(file.get("width").asInt()).as(where + " width").isPositive();
                assertThat(file.get("height").asInt()).as(where + " height").isPositive();
            }
            FalTestClient.Response download = running.fal().anonymous(
                    HttpRequest.newBuilder(URI.create(file.get("url").asText())));
            assertThat(download.status()).as(where).isEqualTo(200);
            assertThat(download.header("Content-Type")).as(where)
                    .isEqualTo(file.get("content_type").asText());
            assertThat((long) download.body().length).as(where)
                    .isEqualTo(file.get("file_size").asLong());
        }
    }

    /** The example input with every file URL pointing at the local input server. */
    static ObjectNode localInput(ModelSpec model) {
        ObjectNode input = model.example().deepCopy();
        for (FieldSpec field : model.fileInputs()) {
            String url = "safetensors".equals(field.fileKind())
                    ? running.inputs().url("/lora.safetensors") : running.inputs().imageUrl();
            JsonNode example = input.get(field.name());
            if (example != null && example.isArray()) {
                ArrayNode urls = input.putArray(field.name());
                example.forEach(e -> urls.add(url));
            } else if (example != null || field.required()) {
                input.put(field.name(), url);
            }
        }
        return input;
    }
}
