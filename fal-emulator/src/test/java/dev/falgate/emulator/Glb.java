package dev.falgate.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A test-side GLB reader: checks the container and exposes the JSON and BIN chunks. */
record Glb(JsonNode json, byte[] bin) {

    static Glb parse(byte[] file) {
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getInt()).as("magic glTF").isEqualTo(0x46546C67);
        assertThat(buffer.getInt()).as("version").isEqualTo(2);
        assertThat(buffer.getInt()).as("total length").isEqualTo(file.length);
        byte[] json = chunk(buffer, 0x4E4F534A);
        byte[] bin = chunk(buffer, 0x004E4942);
        try {
            return new Glb(Json.MAPPER.readTree(json), bin);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] chunk(ByteBuffer buffer, int type) {
        int length = buffer.getInt();
        assertThat(length % 4).as("chunk padding").isZero();
        assertThat(buffer.getInt()).as("chunk type").isEqualTo(type);
        byte[] data = new byte[length];
        buffer.get(data);
        return data;
    }

    byte[] bufferView(int index) {
        JsonNode view = json.get("bufferViews").get(index);
        int offset = view.path("byteOffset").asInt(0);
        return Arrays.copyOfRange(bin, offset, offset + view.get("byteLength").asInt());
    }

    /** The bytes of the image behind a material's baseColorTexture. */
    byte[] baseColorImage(int material) {
        int texture = json.at("/materials/" + material
                + "/pbrMetallicRoughness/baseColorTexture/index").asInt();
        int image = json.at("/textures/" + texture + "/source").asInt();
        return bufferView(json.at("/images/" + image + "/bufferView").asInt());
    }
}
