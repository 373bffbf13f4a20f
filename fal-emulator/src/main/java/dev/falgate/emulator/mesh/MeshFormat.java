package dev.falgate.emulator.mesh;

import java.util.Locale;
import java.util.Optional;

/**
 * The model file formats the 3D models offer. fal labels its meshes
 * {@code application/octet-stream}; the emulator does the same.
 */
public enum MeshFormat {
    GLB("glb", "application/octet-stream"),
    OBJ("obj", "application/octet-stream"),
    STL("stl", "application/octet-stream"),
    FBX("fbx", "application/octet-stream"),
    USDZ("usdz", "application/octet-stream"),
    /** An archive of the mesh with its material and textures ("assets zip"). */
    ZIP("zip", "application/zip");

    private final String extension;
    private final String contentType;

    MeshFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public static Optional<MeshFormat> fromParameter(String value) {
        String wanted = value == null ? "" : value.toLowerCase(Locale.ROOT);
        for (MeshFormat f : values()) {
            if (f.extension.equals(wanted)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The file in this format; the first texture of the mesh is referenced or embedded. */
    public byte[] write(Mesh mesh, MaterialStyle style) {
        return switch (this) {
            case GLB -> GlbWriter.write(mesh, style);
            case OBJ -> MeshWriters.obj(mesh, null);
            case STL -> MeshWriters.stl(mesh);
            case FBX -> MeshWriters.fbx(mesh);
            case USDZ -> MeshWriters.usdz(mesh);
            case ZIP -> MeshWriters.assetsZip(mesh);
        };
    }
}
