package dev.falgate.emulator.mesh;

/**
 * Triangles sharing one texture. Arrays are flat: 3 floats per position and normal, 2 per
 * texture coordinate (glTF convention: origin top-left), 3 indices per triangle.
 */
public record Primitive(float[] positions, float[] normals, float[] uvs, int[] indices,
        int texture) {

    public int vertexCount() {
        return positions.length / 3;
    }

    public int triangleCount() {
        return indices.length / 3;
    }

    /** Per-axis minimum (glTF requires min/max on POSITION accessors). */
    public float[] min() {
        return bound(-1);
    }

    public float[] max() {
        return bound(1);
    }

    private float[] bound(int sign) {
        float[] b = {positions[0], positions[1], positions[2]};
        for (int v = 1; v < vertexCount(); v++) {
            for (int axis = 0; axis < 3; axis++) {
                float p = positions[v * 3 + axis];
                if (sign * p > sign * b[axis]) {
                    b[axis] = p;
                }
            }
        }
        return b;
    }
}
