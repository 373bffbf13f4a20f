package dev.falgate.emulator.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit cube (centred at the origin) whose faces carry textures: the simplest honest stand-in
 * for a reconstructed object, with each view image on its side of the cube.
 */
public final class TexturedCube {

    /** A face: its outward normal and its corners bottom-left, bottom-right, top-right, top-left. */
    public enum Face {
        FRONT(0, 0, 1, new float[] {-1, -1, 1, 1, -1, 1, 1, 1, 1, -1, 1, 1}),
        BACK(0, 0, -1, new float[] {1, -1, -1, -1, -1, -1, -1, 1, -1, 1, 1, -1}),
        LEFT(-1, 0, 0, new float[] {-1, -1, -1, -1, -1, 1, -1, 1, 1, -1, 1, -1}),
        RIGHT(1, 0, 0, new float[] {1, -1, 1, 1, -1, -1, 1, 1, -1, 1, 1, 1}),
        TOP(0, 1, 0, new float[] {-1, 1, 1, 1, 1, 1, 1, 1, -1, -1, 1, -1}),
        BOTTOM(0, -1, 0, new float[] {-1, -1, -1, 1, -1, -1, 1, -1, 1, -1, -1, 1});

        private final float[] normal;
        private final float[] corners;

        Face(float nx, float ny, float nz, float[] corners) {
            this.normal = new float[] {nx, ny, nz};
            this.corners = corners;
        }
    }

    private static final float[] FACE_UVS = {0, 1, 1, 1, 1, 0, 0, 0};
    private static final float HALF = 0.5f;

    private TexturedCube() {
    }

    /** Faces not in {@code faceTextures} use texture 0. */
    public static Mesh build(Map<Face, Integer> faceTextures, List<Texture> textures) {
        Map<Integer, List<Face>> facesByTexture = new LinkedHashMap<>();
        for (Face face : Face.values()) {
            facesByTexture.computeIfAbsent(faceTextures.getOrDefault(face, 0),
                    t -> new ArrayList<>()).add(face);
        }
        List<Primitive> primitives = new ArrayList<>();
        facesByTexture.forEach((texture, faces) -> primitives.add(primitive(faces, texture)));
        return new Mesh(primitives, textures);
    }

    private static Primitive primitive(List<Face> faces, int texture) {
        int n = faces.size();
        float[] positions = new float[n * 12];
        float[] normals = new float[n * 12];
        float[] uvs = new float[n * 8];
        int[] indices = new int[n * 6];
        for (int f = 0; f < n; f++) {
            Face face = faces.get(f);
            for (int c = 0; c < 4; c++) {
                for (int axis = 0; axis < 3; axis++) {
                    positions[f * 12 + c * 3 + axis] = face.corners[c * 3 + axis] * HALF;
                    normals[f * 12 + c * 3 + axis] = face.normal[axis];
                }
            }
            System.arraycopy(FACE_UVS, 0, uvs, f * 8, 8);
            int base = f * 4;
            System.arraycopy(new int[] {base, base + 1, base + 2, base, base + 2, base + 3}, 0,
                    indices, f * 6, 6);
        }
        return new Primitive(positions, normals, uvs, indices, texture);
    }
}
