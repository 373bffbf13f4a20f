package dev.falgate.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.Category;
import dev.falgate.catalog.FieldConstraints;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.catalog.OutputField;
import dev.falgate.catalog.Rule;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.uploads.UploadService.FieldProblem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Ranges, list sizes, cross-field rules and file checks, on a model built for the test. */
class ConstraintsTest {
    private static FieldConstraints range(double min, double max) {
        return new FieldConstraints(min, max, null, null, null, null, null, null);
    }

    private static final ModelSpec MODEL = new ModelSpec("acme/mesh", "Mesh", Category.IMAGE_TO_3D, "",
            List.of(
                    new FieldSpec("image_urls", "list<string>", false, null, null, "", true, "image",
                            new FieldConstraints(null, null, 1, 2, null, null, null, null)),
                    new FieldSpec("prompt", "string", false, null, null, "", false, null),
                    new FieldSpec("start", "float", false, new DoubleNode(0.6), null, "", false, null, range(0, 1)),
                    new FieldSpec("end", "float", false, new DoubleNode(1.0), null, "", false, null, range(0, 1))),
            List.of(new OutputField("model_mesh", "file", false, true, "")), Json.object(),
            List.of(new Rule("gte", List.of("end", "start"), "end must be >= start", "page says so"),
                    new Rule("any_of", List.of("prompt", "image_urls"), "give a prompt or images", "page says so")));
    private final InputValidator validator = new InputValidator(new Catalog(List.of(MODEL)));

    private List<FieldError> errors(String input) {
        return validator.check(Json.parse("{\"model\":\"acme/mesh\",\"input\":" + input + "}")).errors();
    }

    @Test
    void rangesListSizesAndRulesAreEnforced() {
        assertThat(errors("{\"prompt\":\"x\",\"start\":1.5}")).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("input.start", "out_of_range"));
        assertThat(errors("{\"image_urls\":[]}")).extracting(FieldError::code).contains("too_few_items");
        assertThat(errors("{\"image_urls\":[\"upload://a\",\"upload://b\",\"upload://c\"]}")).extracting(FieldError::code).containsExactly("too_many_items");
        assertThat(errors("{\"prompt\":\"x\",\"start\":0.7,\"end\":0.5}")).extracting(FieldError::field, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("input.end", "cross_field"));
        assertThat(errors("{\"prompt\":\"x\",\"end\":0.5}")).as("the default start counts")
                .extracting(FieldError::field).containsExactly("input.end");
        assertThat(errors("{}")).extracting(FieldError::field).containsExactlyInAnyOrder("input.prompt", "input.image_urls");
        assertThat(errors("{\"prompt\":\"x\"}")).isEmpty();
        assertThat(errors("{\"prompt\":\"" + "p".repeat(Constraints.MAX_STRING_LENGTH + 1) + "\"}"))
                .extracting(FieldError::code).containsExactly("too_long");
    }

    @Test
    void aRuleOverAMalformedFieldIsNotReportedTwice() {
        assertThat(errors("{\"prompt\":\"x\",\"end\":\"soon\"}")).extracting(FieldError::code).containsExactly("invalid_type");
    }

    @Test
    void imageFieldsWantRealImagesWithinTheModelsLimits() throws Exception {
        FieldSpec image = new FieldSpec("image_url", "string", true, null, null, "", true, "image",
                new FieldConstraints(null, null, null, null, null, 5_000_000L, 1000L, 40));
        byte[] png = png(30, 20);
        FileChecks.check(image, "input.image_url", "image/png", png.length, png);
        assertProblem(() -> FileChecks.check(image, "input.image_url", "image/png", 3, new byte[] {1, 2, 3}), "invalid_file");
        assertProblem(() -> FileChecks.check(image, "input.image_url", "image/jpeg", png.length, png), "content_mismatch");
        byte[] wide = png(41, 10);
        assertProblem(() -> FileChecks.check(image, "input.image_url", "image/png", wide.length, wide), "image_too_large");
        byte[] many = png(40, 40);
        assertProblem(() -> FileChecks.check(image, "input.image_url", "image/png", many.length, many), "image_too_large");
        assertProblem(() -> FileChecks.check(image, "input.image_url", "image/png", 6_000_000, png), "file_too_large");
    }

    @Test
    void loraFieldsWantSafetensors() {
        FieldSpec lora = new FieldSpec("texture_lora_url", "string", false, null, null, "", true, "safetensors");
        byte[] header = "{\"__metadata__\":{}}".getBytes();
        byte[] file = new byte[8 + header.length + 16];
        java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header);
        FileChecks.check(lora, "input.texture_lora_url", "application/octet-stream", file.length, file);
        assertProblem(() -> FileChecks.check(lora, "input.texture_lora_url", "application/octet-stream", 20,
                "not safetensors at all".getBytes()), "invalid_file");
    }

    private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(FieldProblem.class, p -> assertThat(p.error().code()).isEqualTo(code));
    }

    static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
