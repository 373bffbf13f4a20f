package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A glTF 2.0 binary checked against the spec's structural rules: header and chunks, every
 * index in range (buffer views, accessors, textures, images, materials, nodes), accessors
 * inside their views and aligned, triangle indices inside the vertex count, and embedded
 * images that decode and match their declared MIME type.
 *
 * @param images the embedded images, decoded, in {@code images[]} order
 */
record GlbCheck(JsonNode json, List<BufferedImage> images) {
    private static final int MAGIC = 0x46546C67;
    private static final int JSON_CHUNK = 0x4E4F534A;
    private static final int BIN_CHUNK = 0x004E4942;
    private static final Map<Integer, Integer> COMPONENT_SIZES =
            Map.of(5120, 1, 5121, 1, 5122, 2, 5123, 2, 5125, 4, 5126, 4);
    private static final Map<String, Integer> TYPE_WIDTHS =
            Map.of("SCALAR", 1, "VEC2", 2, "VEC3", 3, "VEC4", 4, "MAT4", 16);

    static GlbCheck parse(byte[] file, String where) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(in.getInt()).as(where + " magic 'glTF'").isEqualTo(MAGIC);
        assertThat(in.getInt()).as(where + " version").isEqualTo(2);
        assertThat(in.getInt()).as(where + " total length").isEqualTo(file.length);
        JsonNode json = readJson(chunk(in, JSON_CHUNK, where), where);
        byte[] bin = in.hasRemaining() ? chunk(in, BIN_CHUNK, where) : new byte[0];
        return new Structure(json, bin, where).check();
    }

    private static byte[] chunk(ByteBuffer in, int type, String where) {
        int length = in.getInt();
        assertThat(length % 4).as(where + " chunk length multiple of 4").isZero();
        assertThat(in.getInt()).as(where + " chunk type").isEqualTo(type);
        assertThat(length).as(where + " chunk inside file").isLessThanOrEqualTo(in.remaining());
        byte[] data = new byte[length];
        in.get(data);
        return data;
    }

    private static JsonNode readJson(byte[] chunk, String where) {
        try {
            return OutputsFixture.JSON.readTree(chunk);
        } catch (IOException e) {
            throw new AssertionError(where + ": JSON chunk is not JSON", e);
        }
    }

    /** The cross-reference checks, one method per top-level array. */
    private record Structure(JsonNode json, byte[] bin, String where) {

        GlbCheck check() {
            assertThat(json.at("/asset/version").asText()).as(where + " asset.version")
                    .isEqualTo("2.0");
            checkBuffer();
            json.path("bufferViews").forEach(this::checkBufferView);
            json.path("accessors").forEach(this::checkAccessor);
            json.path("meshes").forEach(mesh -> mesh.path("primitives")
                    .forEach(this::checkPrimitive));
            json.path("materials").forEach(m -> optionalIndexIn("textures",
                    m.at("/pbrMetallicRoughness/baseColorTexture/index"), "baseColorTexture"));
            json.path("textures").forEach(t -> optionalIndexIn("images", t.path("source"),
                    "source"));
            json.path("nodes").forEach(n -> optionalIndexIn("meshes", n.path("mesh"),
                    "node mesh"));
            json.path("scenes").forEach(s -> s.path("nodes")
                    .forEach(n -> indexIn("nodes", n, "scene node")));
            List<BufferedImage> images = new ArrayList<>();
            json.path("images").forEach(image -> images.add(decodeImage(image)));
            return new GlbCheck(json, images);
        }

        private void checkBuffer() {
            JsonNode buffers = json.path("buffers");
            assertThat(buffers.size()).as(where + " buffers").isLessThanOrEqualTo(1);
            if (buffers.size() == 1) {
                assertThat(buffers.get(0).has("uri")).as(where + " GLB buffer has no uri")
                        .isFalse();
                int declared = buffers.get(0).get("byteLength").asInt();
                assertThat(bin.length - declared).as(where + " BIN chunk = buffer + padding")
                        .isBetween(0, 3);
            }
        }

        private void checkBufferView(JsonNode view) {
            assertThat(view.path("buffer").asInt(-1)).as(where + " bufferView.buffer").isZero();
            long end = view.path("byteOffset").asLong(0) + view.get("byteLength").asLong();
            assertThat(end).as(where + " bufferView inside buffer")
                    .isLessThanOrEqualTo(json.at("/buffers/0/byteLength").asLong());
        }

        private void checkAccessor(JsonNode accessor) {
            JsonNode view = indexIn("bufferViews", accessor.path("bufferView"), "accessor view");
            Integer component = COMPONENT_SIZES.get(accessor.path("componentType").asInt());
            Integer width = TYPE_WIDTHS.get(accessor.path("type").asText());
            assertThat(component).as(where + " accessor componentType").isNotNull();
            assertThat(width).as(where + " accessor type").isNotNull();
            long offset = accessor.path("byteOffset").asLong(0);
            long size = (long) component * width * accessor.get("count").asLong();
            assertThat(offset + size).as(where + " accessor inside its view")
                    .isLessThanOrEqualTo(view.get("byteLength").asLong());
            assertThat((view.path("byteOffset").asLong(0) + offset) % component)
                    .as(where + " accessor aligned").isZero();
        }

        private void checkPrimitive(JsonNode primitive) {
            JsonNode position = indexIn("accessors", primitive.at("/attributes/POSITION"),
                    "POSITION");
            assertThat(position.path("min").size()).as(where + " POSITION min").isEqualTo(3);
            assertThat(position.path("max").size()).as(where + " POSITION max").isEqualTo(3);
            primitive.path("attributes").forEach(a -> assertThat(
                    indexIn("accessors", a, "attribute").get("count").asInt())
                    .as(where + " attribute count").isEqualTo(position.get("count").asInt()));
            if (primitive.has("material")) {
                indexIn("materials", primitive.get("material"), "material");
            }
            if (primitive.has("indices")) {
                int vertices = position.get("count").asInt();
                int[] indices = readIndices(indexIn("accessors", primitive.get("indices"),
                        "indices"));
                assertThat(Arrays.stream(indices).max().orElse(0)).as(where + " max index")
                        .isLessThan(vertices);
                assertThat(indices.length % 3).as(where + " whole triangles").isZero();
            }
        }

        private int[] readIndices(JsonNode accessor) {
            JsonNode view = json.at("/bufferViews/" + accessor.get("bufferView").asInt());
            int start = view.path("byteOffset").asInt(0) + accessor.path("byteOffset").asInt(0);
            ByteBuffer data = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
            int[] indices = new int[accessor.get("count").asInt()];
            int component = COMPONENT_SIZES.get(accessor.get("componentType").asInt());
            for (int i = 0; i < indices.length; i++) {
                int at = start + i * component;
                indices[i] = switch (component) {
                    case 1 -> data.get(at) & 0xFF;
                    case 2 -> data.getShort(at) & 0xFFFF;
                    default -> data.getInt(at);
                };
            }
            return indices;
        }

        private BufferedImage decodeImage(JsonNode image) {
            JsonNode view = indexIn("bufferViews", image.path("bufferView"), "image view");
            int start = view.path("byteOffset").asInt(0);
            byte[] bytes = Arrays.copyOfRange(bin, start, start + view.get("byteLength").asInt());
            FileFormat format = switch (image.path("mimeType").asText()) {
                case "image/png" -> FileFormat.PNG;
                case "image/jpeg" -> FileFormat.JPEG;
                default -> throw new AssertionError(where + " image mimeType " + image);
            };
            FileChecks.assertValid(format, bytes, where + " embedded image");
            try {
                BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
                assertThat(decoded).as(where + " embedded image decodes").isNotNull();
                return decoded;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void optionalIndexIn(String array, JsonNode index, String what) {
            if (!index.isMissingNode()) {
                indexIn(array, index, what);
            }
        }

        private JsonNode indexIn(String array, JsonNode index, String what) {
            assertThat(index.isInt()).as(where + " " + what + " index").isTrue();
            JsonNode target = json.path(array).path(index.asInt());
            assertThat(target.isObject()).as(where + " " + what + " -> " + array + "["
                    + index + "]").isTrue();
            return target;
        }
    }
}
