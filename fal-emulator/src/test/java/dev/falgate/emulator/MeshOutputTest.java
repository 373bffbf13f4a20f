package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 3D models end to end: real GLBs with the input image inside, and the other formats. */
class MeshOutputTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final RunningEmulator running = RunningEmulator.with(FalEmulatorConfig.builder().speed(1000).build());

    @Test
    void imageTo3dReturnsARealGlbEmbeddingTheInputImage() {
        JsonNode result = completedResult("tripo3d/tripo/v2.5/image-to-3d",
                Json.object().put("image_url", running.inputs().imageUrl()));

        JsonNode mesh = result.get("model_mesh");
        assertThat(mesh.get("file_name").asText()).endsWith(".glb");
        Glb glb = Glb.parse(download(mesh));

        JsonNode primitive = glb.json().at("/meshes/0/primitives/0");
        JsonNode position = glb.json().get("accessors")
                .get(primitive.at("/attributes/POSITION").asInt());
        assertThat(position.get("type").asText()).isEqualTo("VEC3");
        assertThat(position.get("min")).hasSize(3);
        assertThat(position.get("max")).hasSize(3);
        assertThat(primitive.at("/attributes/TEXCOORD_0").isInt()).isTrue();
        assertThat(primitive.get("indices").isInt()).isTrue();
        assertThat(glb.json().at("/asset/version").asText()).isEqualTo("2.0");
        BufferedImage embedded = TestImages.decode(glb.baseColorImage(primitive.get("material")
                .asInt()));
        assertThat(embedded.getWidth()).isEqualTo(TestImages.WIDTH);
        assertThat(embedded.getHeight()).isEqualTo(TestImages.HEIGHT);

        assertThat(result.get("task_id").asText()).isNotEmpty();
        Glb.parse(download(result.get("base_model")));
        Glb.parse(download(result.get("pbr_model")));
        assertThat(TestImages.decode(download(result.get("rendered_image")))).isNotNull();
    }

    @Test
    void multiviewFacesCarryTheirOwnViews() {
        ObjectNode input = Json.object().put("front_image_url", running.inputs().imageUrl())
                .put("back_image_url", running.inputs().imageUrl()).put("left_image_url", running.inputs().imageUrl());

        Glb glb = Glb.parse(download(completedResult("fal-ai/hunyuan3d/v2/multi-view", input)
                .get("model_mesh")));

        assertThat(glb.json().get("images")).hasSize(3);
        assertThat(glb.json().at("/meshes/0/primitives")).hasSize(3);
    }

    @Test
    void rodinWritesTheGeometryFormatAsked() throws IOException {
        for (String format : new String[] {"obj", "stl", "fbx", "usdz"}) {
            ObjectNode input = Json.object().put("geometry_file_format", format);
            input.putArray("input_image_urls").add(running.inputs().imageUrl());

            JsonNode result = completedResult("fal-ai/hyper3d/rodin", input);

            assertThat(result.at("/model_mesh/file_name").asText()).endsWith("." + format);
            byte[] file = download(result.get("model_mesh"));
            assertFormat(format, file);
            assertThat(result.at("/textures/0/width").asInt()).isEqualTo(TestImages.WIDTH);
        }
    }

    @Test
    void assetArchivesHoldMeshMaterialAndTexture() throws IOException {
        JsonNode result = completedResult("fal-ai/hunyuan3d-v21",
                Json.object().put("input_image_url", running.inputs().imageUrl()));

        assertThat(result.at("/model_mesh/content_type").asText()).isEqualTo("application/zip");
        assertThat(entries(download(result.get("model_mesh"))))
                .contains("model.obj", "model.mtl", "texture_0.png");
        Glb.parse(download(result.get("model_glb")));
        Glb.parse(download(result.get("model_glb_pbr")));
    }

    private static void assertFormat(String format, byte[] file) throws IOException {
        String text = new String(file, StandardCharsets.ISO_8859_1);
        switch (format) {
            case "obj" -> assertThat(text).contains("\nv ", "\nvt ", "\nf ");
            case "stl" -> assertThat(file.length).isEqualTo(84 + 12 * 50);
            case "fbx" -> assertThat(text).startsWith("; FBX 7.4.0 project file")
                    .contains("Vertices:", "PolygonVertexIndex:");
            case "usdz" -> assertUsdzAligned(file);
            default -> throw new IllegalArgumentException(format);
        }
    }

    /** USDZ: stored entries whose data begins on a 64-byte boundary. */
    private static void assertUsdzAligned(byte[] file) {
        int offset = 0;
        int entries = 0;
        while (offset + 30 <= file.length && file[offset] == 'P' && file[offset + 1] == 'K'
                && file[offset + 2] == 3 && file[offset + 3] == 4) {
            int method = u16(file, offset + 8);
            int size = (int) u32(file, offset + 18);
            int dataStart = offset + 30 + u16(file, offset + 26) + u16(file, offset + 28);
            assertThat(method).isZero();
            assertThat(dataStart % 64).isZero();
            offset = dataStart + size;
            entries++;
        }
        assertThat(entries).isEqualTo(2);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static byte[] download(JsonNode file) {
        FalTestClient.Response response = running.fal().anonymous(
                HttpRequest.newBuilder(URI.create(file.get("url").asText())));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().length).isEqualTo(file.get("file_size").asInt());
        return response.body();
    }

    private static JsonNode completedResult(String model, ObjectNode input) {
        JsonNode submitted = running.fal().submit(model, input, null).json();
        running.fal().awaitCompleted(submitted, TIMEOUT);
        FalTestClient.Response result = running.fal().get(submitted.get("response_url").asText());
        assertThat(result.status()).as(result.json().toString()).isEqualTo(200);
        return result.json();
    }
}
