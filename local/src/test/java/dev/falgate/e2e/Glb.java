package dev.falgate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a binary glTF 2.0 (GLB) as the spec lays it out, independently of the emulator's writer. */
record Glb(JsonNode json, byte[] bin) {
    static final int MAGIC = 0x46546C67; // "glTF"

    static Glb parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MAGIC || b.getInt(4) != 2 || b.getInt(8) != file.length) {
            throw new AssertionError("not a GLB 2.0 of the length it states");
        }
        int jsonLength = b.getInt(12);
        if (b.getInt(16) != 0x4E4F534A) { // "JSON"
            throw new AssertionError("first chunk is not JSON");
        }
        String json = new String(file, 20, jsonLength, StandardCharsets.UTF_8);
        int binAt = 20 + jsonLength;
        int binLength = b.getInt(binAt);
        if (b.getInt(binAt + 4) != 0x004E4942) { // "BIN\0"
            throw new AssertionError("second chunk is not BIN");
        }
        try {
            return new Glb(Api.JSON.readTree(json), Arrays.copyOfRange(file, binAt + 8, binAt + 8 + binLength));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The bytes of a bufferView in the BIN chunk. */
    byte[] bufferView(int index) {
        JsonNode view = json.path("bufferViews").get(index);
        int offset = view.path("byteOffset").asInt(0);
        return Arrays.copyOfRange(bin, offset, offset + view.path("byteLength").asInt());
    }

    /** The embedded image of the first texture of the first material's base colour. */
    byte[] baseColorImage() {
        int texture = json.at("/materials/0/pbrMetallicRoughness/baseColorTexture/index").asInt(-1);
        int image = json.at("/textures/" + texture + "/source").asInt(-1);
        int view = json.at("/images/" + image + "/bufferView").asInt(-1);
        if (texture < 0 || image < 0 || view < 0) {
            throw new AssertionError("no embedded base colour texture: " + json);
        }
        return bufferView(view);
    }
}
