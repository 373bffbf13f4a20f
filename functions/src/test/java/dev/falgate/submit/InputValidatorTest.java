package dev.falgate.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.OutputField;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputValidatorTest {
    private static final ModelSpec MODEL = new ModelSpec("acme/editor", "Editor", Category.IMAGE_EDITING, "",
            List.of(
                    new FieldSpec("image_url", "string", true, null, null, "", true, "image"),
                    new FieldSpec("image_urls", "list<string>", false, null, null, "", true, "image"),
                    new FieldSpec("prompt", "string", false, new TextNode("a cat"), null, "", false, null),
                    new FieldSpec("steps", "integer", false, new IntNode(30), null, "", false, null),
                    new FieldSpec("safety_tolerance", "string", false, new TextNode("2"),
                            List.of(new TextNode("1"), new TextNode("2"), new TextNode("3")), "", false, null),
                    new FieldSpec("sync_mode", "boolean", false, null, null, "", false, null, null, "outputs stay in our storage")),
            List.of(new OutputField("images", "image", true, true, "")), Json.object());
    private final InputValidator validator = new InputValidator(new Catalog(List.of(MODEL)));

    @Test
    void appliesDefaultsAndCollectsFileSlots() {
        InputValidator.Checked v = Valid.input(validator, Json.parse(
                "{\"model\":\"acme/editor\",\"input\":{\"image_url\":\"upload://upl_x\",\"image_urls\":[\"data:a\",\"data:b\"]}}"));
        assertThat(v.input().get("prompt").asText()).isEqualTo("a cat");
        assertThat(v.input().get("steps").asInt()).isEqualTo(30);
        assertThat(v.files()).extracting(InputValidator.FileSlot::path)
                .containsExactly("input.image_url", "input.image_urls[0]", "input.image_urls[1]");
    }

    @Test
    void acceptsANumericEnumWrittenEitherWayAndStoresTheCatalogsSpelling() {
        JsonNode v = Valid.input(validator, Json.parse(
                "{\"model\":\"acme/editor\",\"input\":{\"image_url\":\"upload://u\",\"safety_tolerance\":3}}")).input();
        assertThat(v.get("safety_tolerance")).isEqualTo(new TextNode("3"));
    }

    @Test
    void reportsEveryProblemAtOnceEachNamingItsPath() {
        assertThatThrownBy(() -> Valid.input(validator, Json.parse(
                "{\"model\":\"acme/editor\",\"input\":{\"steps\":\"many\",\"safety_tolerance\":\"9\",\"colour\":1,\"sync_mode\":true},\"extra\":1}")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("extra", "unknown_field"),
                            org.assertj.core.groups.Tuple.tuple("input.colour", "unknown_field"),
                            org.assertj.core.groups.Tuple.tuple("input.image_url", "required"),
                            org.assertj.core.groups.Tuple.tuple("input.steps", "invalid_type"),
                            org.assertj.core.groups.Tuple.tuple("input.safety_tolerance", "invalid_enum"),
                            org.assertj.core.groups.Tuple.tuple("input.sync_mode", "unsupported"));
                });
    }

    @Test
    void namesAnUnknownModel() {
        assertThatThrownBy(() -> Valid.input(validator, Json.parse("{\"model\":\"nope/nope\",\"input\":{}}")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.details())
                        .extracting(FieldError::field, FieldError::code)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("model", "unknown_model")));
    }

    @Test
    void suggestsTheClosestModelForATypo() {
        InputValidator standard = new InputValidator(Catalog.standard());
        assertThat(standard.check(Json.parse("{\"model\":\"fal-ai/trelis\",\"input\":{}}")).errors())
                .extracting(FieldError::message)
                .containsExactly("unknown model fal-ai/trelis; did you mean fal-ai/trellis? See GET /v1/models");
        assertThat(standard.check(Json.parse("{\"model\":\"nope/nope\",\"input\":{}}")).errors())
                .extracting(FieldError::message).containsExactly("unknown model nope/nope; see GET /v1/models");
    }

    /** Every refusal of a file input's form says the same: all three accepted forms. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} is {1}")
    @org.junit.jupiter.params.provider.CsvSource(value = {
            "ftp://example.com/a.png|url_not_allowed", "file:///etc/passwd|url_not_allowed",
            "'' |invalid_type", "cat.png|invalid_type", "42|invalid_type"}, delimiter = '|')
    void aFileInputOfAnotherFormNamesTheAcceptedForms(String value, String code) {
        String json = value.equals("42") ? "42" : Json.mapper().valueToTree(value.trim()).toString();
        List<FieldError> errors = validator.check(Json.parse(
                "{\"model\":\"acme/editor\",\"input\":{\"image_url\":" + json + "}}")).errors();
        assertThat(errors).containsExactly(new FieldError("input.image_url", code,
                "image_url must be an upload:// ref, a data: URI or an http(s):// URL"));
    }

    @Test
    void anEmptyRequiredListIsOneProblem() {
        ModelSpec multi = new ModelSpec("acme/multi", "Multi", Category.IMAGE_EDITING, "",
                List.of(new FieldSpec("image_urls", "list<string>", true, null, null, "", true, "image",
                        new dev.falgate.catalog.FieldConstraints(null, null, 1, 4, null, null, null, null))),
                List.of(new OutputField("images", "image", true, true, "")), Json.object());
        InputValidator v = new InputValidator(new Catalog(List.of(multi)));
        assertThat(v.check(Json.parse("{\"model\":\"acme/multi\",\"input\":{\"image_urls\":[]}}")).errors())
                .containsExactly(new FieldError("input.image_urls", "required", "image_urls must not be empty"));
        assertThat(v.check(Json.parse("{\"model\":\"acme/multi\",\"input\":{\"image_urls\":"
                + "[\"data:a\",\"data:b\",\"data:c\",\"data:d\",\"data:e\"]}}")).errors())
                .extracting(FieldError::message).containsExactly("image_urls takes at most 4 items");
        List<FieldError> fewer = new java.util.ArrayList<>();
        Constraints.checkList(multi.inputs().get(0), Json.array(), "input.image_urls", fewer);
        assertThat(fewer).extracting(FieldError::message).containsExactly("image_urls needs at least 1 item");
    }

    /** The refusal is the catalog's: a field marked refused may be off, never on, and the reason is its. */
    @Test
    void aFieldTheCatalogRefusesMayBeOffButNotOn() {
        String on = "{\"model\":\"acme/editor\",\"input\":{\"image_url\":\"upload://u\",\"sync_mode\":%s}}";
        assertThat(validator.check(Json.parse(on.formatted("false"))).errors()).isEmpty();
        assertThat(validator.check(Json.parse(on.formatted("true"))).errors()).containsExactly(new FieldError(
                "input.sync_mode", "unsupported", "sync_mode is not supported: outputs stay in our storage"));
    }
}
