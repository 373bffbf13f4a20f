package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.local.template.HttpRouteDef;
import dev.falgate.local.template.StackContext;
import dev.falgate.local.template.TemplateModel;
import dev.falgate.openapi.OpenApiContract;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI contract against the code it describes: its routes are template.yaml's, the job's
 * and file's schemas have exactly the keys the running API writes, and every model's request
 * schema is the catalog's (its example valid). Each response the e2e suite receives is also
 * checked against the contract, in {@link Api}.
 */
class ContractTest {
    private final TestStack t = TestStack.get();
    private final Api api = t.api;
    private final PipelineTest flows = new PipelineTest();

    @Test
    void isServedWithoutAKeyAsOpenApi31() throws Exception {
        Api.Response r = api.get("/v1/openapi.json", null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode generated = Api.JSON.readTree(Api.write(OpenApiContract.document(Catalog.standard())));
        assertThat(r.json()).isEqualTo(generated);
    }

    @Test
    void routesAreExactlyTheTemplatesRoutes() {
        TemplateModel template = TemplateModel.load(TestStack.repoRoot().resolve("template.yaml"),
                StackContext.local(URI.create("http://127.0.0.1:1"), Map.of()));
        Set<String> templateRoutes = new HashSet<>();
        for (HttpRouteDef route : template.routes()) {
            if (!route.isDefault()) { // $default: any other request, documented as the 404 of every operation
                templateRoutes.add(route.method() + " " + route.path());
            }
        }
        Set<String> contractRoutes = new HashSet<>();
        JsonNode paths = api.contract().document().get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            paths.get(path).fieldNames().forEachRemaining(method -> {
                if (!method.equals("parameters")) {
                    contractRoutes.add(method.toUpperCase() + " " + path);
                }
            });
        }
        assertThat(contractRoutes).isEqualTo(templateRoutes);
    }

    @Test
    void theJobAndFileSchemasHaveExactlyTheKeysTheApiWrites() {
        String ref = flows.upload(TestStack.ACME_KEY, Images.png(16, 16), "image/png");
        String id = flows.submit(TestStack.ACME_KEY, PipelineTest.EDITOR, Map.of("image_url", ref)).get("id").asText();
        JsonNode job = api.awaitTerminal(TestStack.ACME_KEY, id, PipelineTest.WITHIN);
        JsonNode schemas = api.contract().document().at("/components/schemas");

        assertThat(job.get("status").asText()).isEqualTo("succeeded");
        assertSchemaKeys(schemas.get("Job"), job);
        assertSchemaKeys(schemas.get("JobFile"), job.at("/files/0"));
        assertSchemaKeys(schemas.get("Upload"), api.post("/v1/uploads", TestStack.ACME_KEY,
                Map.of("content_type", "image/png", "size", 10, "file_name", "a.png")).json());
    }

    private static void assertSchemaKeys(JsonNode schema, JsonNode written) {
        List<String> keys = new ArrayList<>();
        written.fieldNames().forEachRemaining(keys::add);
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(properties).as("schema properties vs what the API writes").containsExactlyInAnyOrderElementsOf(keys);
        assertThat(schema.get("required")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void everyModelHasARequestSchemaFromTheCatalogThatItsExampleSatisfies() {
        JsonNode doc = api.contract().document();
        var factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (ModelSpec model : Catalog.standard().models()) {
            JsonNode schema = doc.at("/components/schemas/" + OpenApiContract.schemaName(model.id()));
            List<String> fields = model.inputs().stream().map(FieldSpec::name).toList();
            List<String> required = model.inputs().stream().filter(FieldSpec::required).map(FieldSpec::name).toList();

            assertThat(schema.at("/properties/model/const").asText()).as(model.id()).isEqualTo(model.id());
            assertThat(schema.at("/properties/input/properties").properties()).extracting(Map.Entry::getKey)
                    .as(model.id()).containsExactlyElementsOf(fields);
            assertThat(schema.at("/properties/input/required")).extracting(JsonNode::asText)
                    .as(model.id()).containsExactlyElementsOf(required);
            assertThat(doc.at("/components/schemas/SubmitJob/discriminator/mapping/" + model.id().replace("~", "~0")
                    .replace("/", "~1")).asText()).endsWith(OpenApiContract.schemaName(model.id()));

            var root = doc.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) root).put("$ref", "#/components/schemas/SubmitJob");
            JsonNode example = schema.at("/examples/0");
            assertThat(example.at("/input")).as(model.id()).isEqualTo(model.example());
            assertThat(factory.getSchema(root).validate(example)).as(model.id() + " example").isEmpty();
        }
    }

    @Test
    void aResponseOutsideTheContractIsCaught() {
        Contract contract = api.contract();
        Api.Response undocumentedStatus = new Api.Response(418, "{}".getBytes(), Map.of());
        Api.Response wrongShape = new Api.Response(200, "{\"jobs\": [], \"next_cursor\": null, \"extra\": 1}".getBytes(), Map.of());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/jobs/job_x", undocumentedStatus))
                .isInstanceOf(AssertionError.class).hasMessageContaining("status 418 is not in the contract");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/jobs", wrongShape))
                .isInstanceOf(AssertionError.class).hasMessageContaining("extra");
        // a templated path ({id} in the pointer) and a shared response ($ref) resolve too
        Api.Response notAJob = new Api.Response(200, "{\"id\": 1}".getBytes(), Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/jobs/job_x", notAJob))
                .isInstanceOf(AssertionError.class).hasMessageContaining("model");
        Api.Response notAnError = new Api.Response(404, "{\"message\": \"Not Found\"}".getBytes(), Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> contract.check("GET", "/v1/jobs/job_x", notAnError))
                .isInstanceOf(AssertionError.class).hasMessageContaining("error");
    }
}
