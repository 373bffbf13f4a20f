package dev.falgate.emulator.mesh;

import java.util.List;

/** A textured triangle mesh: primitives, and the textures they index. */
public record Mesh(List<Primitive> primitives, List<Texture> textures) {

    public Mesh {
        primitives = List.copyOf(primitives);
        textures = List.copyOf(textures);
    }

    public int vertexCount() {
        return primitives.stream().mapToInt(Primitive::vertexCount).sum();
    }
}
