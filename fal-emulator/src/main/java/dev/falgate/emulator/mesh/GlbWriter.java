package dev.falgate.emulator.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.emulator.Json;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a glTF 2.0 binary (GLB): a 12-byte header, a JSON chunk and a BIN chunk holding
 * positions (with min/max), normals, texture coordinates, indices and the embedded images.
 */
public final class GlbWriter {
    private static final int MAGIC = 0x46546C67; // "glTF"
    private static final int VERSION = 2;
    private static final int CHUNK_JSON = 0x4E4F534A;
    private static final int CHUNK_BIN = 0x004E4942;
    private static final int FLOAT = 5126;
    private static final int UNSIGNED_SHORT = 5123;
    private static final int UNSIGNED_INT = 5125;
    private static final int ARRAY_BUFFER = 34962;
    private static final int ELEMENT_ARRAY_BUFFER = 34963;

    private final ObjectNode gltf = Json.object();
    private final ArrayNode bufferViews = gltf.putArray("bufferViews");
    private final ArrayNode accessors = gltf.putArray("accessors");
    private final ByteArrayOutputStream bin = new ByteArrayOutputStream();

    private GlbWriter() {
    }

    public static byte[] write(Mesh mesh, MaterialStyle style) {
        return new GlbWriter().build(mesh, style);
    }

    private byte[] build(Mesh mesh, MaterialStyle style) {
        gltf.putObject("asset").put("version", "2.0").put("generator", "falgate fal emulator");
        gltf.put("scene", 0);
        gltf.putArray("scenes").addObject().putArray("nodes").add(0);
        gltf.putArray("nodes").addObject().put("mesh", 0).put("name", "model");
        addTextures(mesh, style);
        ArrayNode primitives = gltf.putArray("meshes").addObject().put("name", "model")
                .putArray("primitives");
        mesh.primitives().forEach(p -> primitives.add(primitive(p)));
        gltf.putArray("buffers").addObject().put("byteLength", bin.size());
        return container(jsonBytes(), bin.toByteArray());
    }

    private void addTextures(Mesh mesh, MaterialStyle style) {
        gltf.putArray("samplers").addObject()
                .put("magFilter", 9729).put("minFilter", 9987)
                .put("wrapS", 33071).put("wrapT", 33071);
        ArrayNode images = gltf.putArray("images");
        ArrayNode textures = gltf.putArray("textures");
        ArrayNode materials = gltf.putArray("materials");
        for (int i = 0; i < mesh.textures().size(); i++) {
            Texture texture = mesh.textures().get(i);
            images.addObject().put("bufferView", view(texture.bytes(), null))
                    .put("mimeType", texture.mimeType());
            textures.addObject().put("sampler", 0).put("source", i);
            ObjectNode pbr = materials.addObject().put("name", style.name() + "_" + i)
                    .putObject("pbrMetallicRoughness");
            pbr.putObject("baseColorTexture").put("index", i);
            pbr.put("metallicFactor", style.metallic()).put("roughnessFactor", style.roughness());
        }
    }

    private ObjectNode primitive(Primitive p) {
        ObjectNode node = Json.object();
        ObjectNode attributes = node.putObject("attributes");
        int position = accessor(view(floats(p.positions()), ARRAY_BUFFER), FLOAT,
                p.vertexCount(), "VEC3");
        minMax(position, p.min(), p.max());
        attributes.put("POSITION", position);
        attributes.put("NORMAL", accessor(view(floats(p.normals()), ARRAY_BUFFER), FLOAT,
                p.vertexCount(), "VEC3"));
        attributes.put("TEXCOORD_0", accessor(view(floats(p.uvs()), ARRAY_BUFFER), FLOAT,
                p.vertexCount(), "VEC2"));
        boolean small = p.vertexCount() < 0xFFFF;
        node.put("indices", accessor(view(indices(p.indices(), small), ELEMENT_ARRAY_BUFFER),
                small ? UNSIGNED_SHORT : UNSIGNED_INT, p.indices().length, "SCALAR"));
        return node.put("material", p.texture()).put("mode", 4);
    }

    /** Appends bytes at a 4-byte boundary (glTF requires aligned accessors) as a bufferView. */
    private int view(byte[] data, Integer target) {
        while (bin.size() % 4 != 0) {
            bin.write(0);
        }
        ObjectNode view = bufferViews.addObject().put("buffer", 0)
                .put("byteOffset", bin.size()).put("byteLength", data.length);
        if (target != null) {
            view.put("target", target);
        }
        bin.writeBytes(data);
        return bufferViews.size() - 1;
    }

    private int accessor(int bufferView, int componentType, int count, String type) {
        accessors.addObject().put("bufferView", bufferView).put("componentType", componentType)
                .put("count", count).put("type", type);
        return accessors.size() - 1;
    }

    private void minMax(int accessor, float[] min, float[] max) {
        ObjectNode node = (ObjectNode) accessors.get(accessor);
        ArrayNode mins = node.putArray("min");
        ArrayNode maxs = node.putArray("max");
        for (int axis = 0; axis < 3; axis++) {
            mins.add(min[axis]);
            maxs.add(max[axis]);
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    private static byte[] indices(int[] values, boolean asShorts) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * (asShorts ? 2 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (asShorts) {
                buffer.putShort((short) v);
            } else {
                buffer.putInt(v);
            }
        }
        return buffer.array();
    }

    private byte[] jsonBytes() {
        try {
            return Json.MAPPER.writeValueAsString(gltf).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Header + JSON chunk (space-padded) + BIN chunk (zero-padded), all little-endian. */
    private static byte[] container(byte[] json, byte[] binary) {
        int jsonLength = padded(json.length);
        int binLength = padded(binary.length);
        int total = 12 + 8 + jsonLength + 8 + binLength;
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION).putInt(total);
        out.putInt(jsonLength).putInt(CHUNK_JSON).put(json);
        for (int i = json.length; i < jsonLength; i++) {
            out.put((byte) ' ');
        }
        out.putInt(binLength).putInt(CHUNK_BIN).put(binary);
        return out.array(); // the remaining BIN padding is already zero
    }

    private static int padded(int length) {
        return (length + 3) & ~3;
    }
}
