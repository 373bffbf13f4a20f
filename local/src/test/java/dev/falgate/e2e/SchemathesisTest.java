package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.contract.OpenApiLintTest;
import dev.falgate.contract.Processes;
import dev.falgate.openapi.OpenApiContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Schemathesis (from PyPI, pinned with its dependencies in {@code src/test/contract/requirements.txt},
 * installed into a virtual environment under {@code target/}) fuzzes the running stack from the
 * contract: no server error, no status or body the contract does not document.
 *
 * <p>The run stays short and on loopback: a few examples per operation, no stateful phase, one
 * worker; the {@code Prefer} header is left out (a wait is tested in {@link PreferWaitTest}); file
 * fields take only an upload this test made (fuzzed URLs would send the URL fetcher to the
 * internet), the catalog's examples get it in place of their fal CDN URLs, and {@code webhook}
 * targets are left out for the same reason.
 */
class SchemathesisTest {
    private static final Path VENV = OpenApiLintTest.MODULE.resolve("target/schemathesis-venv");
    private static final Duration INSTALL = Duration.ofMinutes(4);
    private static final Duration RUN = Duration.ofMinutes(3);
    private static final int EXAMPLES_PER_OPERATION = 8;

    private final TestStack t = TestStack.get();
    private final PipelineTest flows = new PipelineTest();

    @Test
    void fuzzingFindsNoServerErrorAndNoResponseOutsideTheContract() throws Exception {
        Path st = installSchemathesis();
        String upload = flows.upload(TestStack.FUZZ_KEY, Images.png(16, 16), "image/png");
        Path doc = OpenApiLintTest.writeContract(
                forFuzzing(OpenApiContract.document(Catalog.standard()), upload), "openapi-fuzz.json");

        // every operation through all phases but POST /v1/jobs, whose coverage phase (boundary values of
        // 23 models' fields) alone takes minutes; it gets the examples and fuzzing phases instead
        Processes.Result others = schemathesis(st, doc, "--exclude-operation-id", "submitJob",
                "--phases", "examples,coverage,fuzzing");
        Processes.Result submits = schemathesis(st, doc, "--include-operation-id", "submitJob",
                "--phases", "examples,fuzzing");

        assertThat(others.exit()).as("schemathesis exit code; its output:\n" + others.output()).isZero();
        assertThat(submits.exit()).as("schemathesis exit code; its output:\n" + submits.output()).isZero();
        int operations = operations(doc);
        assertThat(others.output()).as("every operation but the submit tested")
                .contains("Tested: " + (operations - 1)).containsPattern("[1-9]\\d+ generated");
        assertThat(submits.output()).as("the submit tested").contains("Tested: 1").containsPattern("[1-9]\\d+ generated");
    }

    private static int operations(Path doc) throws java.io.IOException {
        int count = 0;
        for (JsonNode path : Api.JSON.readTree(doc.toFile()).get("paths")) {
            for (Iterator<String> it = path.fieldNames(); it.hasNext(); ) {
                count += it.next().equals("parameters") ? 0 : 1;
            }
        }
        return count;
    }

    private Processes.Result schemathesis(Path st, Path doc, String... selection) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(st.toString(), "run", doc.toString(),
                "--url", t.stack.apiUrl().toString(),
                "--header", "Authorization: Bearer " + TestStack.FUZZ_KEY,
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                        + "response_schema_conformance",
                "--max-examples", String.valueOf(EXAMPLES_PER_OPERATION),
                "--workers", "1", "--seed", "20261201", "--generation-database", "none",
                "--request-timeout", "30", "--no-color", "--warnings", "off"));
        command.addAll(List.of(selection));
        return Processes.run(OpenApiLintTest.MODULE.resolve("target"), RUN, Map.of(), command);
    }

    /** {@code python3 -m venv} and the pinned requirements, unless the venv already has them. */
    private static Path installSchemathesis() throws Exception {
        return dev.falgate.contract.Venvs.install(VENV, OpenApiLintTest.CONTRACT_DIR.resolve("requirements.txt"), "st", INSTALL);
    }

    /** The contract, with what must not be fuzzed taken out (see the class comment). */
    static ObjectNode forFuzzing(ObjectNode doc, String uploadRef) {
        ArrayNode submitParameters = (ArrayNode) doc.at("/paths/~1v1~1jobs/post/parameters");
        for (int i = submitParameters.size() - 1; i >= 0; i--) {
            if (submitParameters.get(i).path("$ref").asText().endsWith("/Prefer")) {
                submitParameters.remove(i);
            }
        }
        ObjectNode schemas = (ObjectNode) doc.at("/components/schemas");
        for (ModelSpec model : Catalog.standard().models()) {
            ObjectNode request = (ObjectNode) schemas.get(OpenApiContract.schemaName(model.id()));
            ((ObjectNode) request.get("properties")).remove(List.of("webhook", "webhook_events_filter"));
            ObjectNode input = (ObjectNode) request.at("/properties/input/properties");
            for (FieldSpec field : model.fileInputs()) {
                input.set(field.name(), field.isList() ? Json.arrayOf(Json.enumOf(uploadRef, true))
                        : Json.enumOf(uploadRef, field.required()));
            }
            replaceFileValues(request.at("/examples/0/input"), model, uploadRef);
        }
        ObjectNode examples = (ObjectNode) doc.at("/paths/~1v1~1jobs/post/requestBody/content/application~1json/examples");
        for (Iterator<JsonNode> it = examples.elements(); it.hasNext(); ) {
            JsonNode value = it.next().get("value");
            Catalog.standard().find(value.get("model").asText())
                    .ifPresent(m -> replaceFileValues(value.get("input"), m, uploadRef));
        }
        return doc;
    }

    private static void replaceFileValues(JsonNode input, ModelSpec model, String uploadRef) {
        for (FieldSpec field : model.fileInputs()) {
            JsonNode value = input.get(field.name());
            if (value == null) {
                continue;
            }
            if (value.isArray()) {
                ArrayNode list = (ArrayNode) value;
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, Api.JSON.getNodeFactory().textNode(uploadRef));
                }
            } else {
                ((ObjectNode) input).put(field.name(), uploadRef);
            }
        }
    }

    /** Small schema builders for the fuzzing copy. */
    private static final class Json {
        static ObjectNode enumOf(String value, boolean required) {
            ObjectNode s = Api.JSON.createObjectNode();
            ArrayNode values = s.putArray("enum").add(value);
            if (!required) {
                values.addNull();
            }
            return s;
        }

        static ObjectNode arrayOf(ObjectNode items) {
            ObjectNode s = Api.JSON.createObjectNode().put("type", "array").put("maxItems", 4);
            s.set("items", items);
            return s;
        }
    }
}
