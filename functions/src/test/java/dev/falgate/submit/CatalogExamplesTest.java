package dev.falgate.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.http.Json;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model's own example input (its file URLs swapped for upload refs) passes validation. */
class CatalogExamplesTest {
    private final InputValidator validator = new InputValidator(Catalog.standard());

    static Stream<ModelSpec> models() {
        return Catalog.standard().models().stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void theSeedsExampleInputIsAccepted(ModelSpec model) {
        ObjectNode input = model.example().deepCopy();
        for (FieldSpec f : model.fileInputs()) {
            if (input.get(f.name()) instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, input.textNode("upload://upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W"));
                }
            } else if (input.has(f.name())) {
                input.put(f.name(), "upload://upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W");
            }
        }
        ObjectNode body = Json.object().put("model", model.id());
        body.set("input", input);
        InputValidator.Checked v = Valid.input(validator, body);
        assertThat(v.files()).isNotEmpty();
        assertThat(v.input().size()).isGreaterThanOrEqualTo(input.size());
    }
}
