package dev.falgate.emulator.mesh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Minimal but structurally valid writers for the non-GLB formats: Wavefront OBJ (+ MTL),
 * binary STL, ASCII FBX 7.4, USDZ (an uncompressed, 64-byte aligned zip around a USDA layer)
 * and an "assets" zip (OBJ + MTL + textures).
 */
final class MeshWriters {
    private static final String CREATOR = "falgate fal emulator";
    private static final int USDZ_ALIGNMENT = 64;

    /** creator, vertex value count, vertices, index count, polygon vertex indices. */
    private static final String FBX_TEMPLATE = """
            ; FBX 7.4.0 project file
            FBXHeaderExtension:  {
            \tFBXHeaderVersion: 1003
            \tFBXVersion: 7400
            \tCreator: "%s"
            }
            GlobalSettings:  {
            \tVersion: 1000
            }
            Definitions:  {
            \tVersion: 100
            \tCount: 2
            \tObjectType: "Geometry" {
            \t\tCount: 1
            \t}
            \tObjectType: "Model" {
            \t\tCount: 1
            \t}
            }
            Objects:  {
            \tGeometry: 1000, "Geometry::model", "Mesh" {
            \t\tVertices: *%d {
            \t\t\ta: %s
            \t\t}
            \t\tPolygonVertexIndex: *%d {
            \t\t\ta: %s
            \t\t}
            \t\tGeometryVersion: 124
            \t}
            \tModel: 2000, "Model::model", "Mesh" {
            \t\tVersion: 232
            \t}
            }
            Connections:  {
            \tC: "OO",1000,2000
            \tC: "OO",2000,0
            }
            """;

    /** creator, face vertex counts, face vertex indices, points, st, texture file name. */
    private static final String USDA_TEMPLATE = """
            #usda 1.0
            (
                defaultPrim = "model"
                upAxis = "Y"
                doc = "%s"
            )

            def Xform "model"
            {
                def Mesh "mesh"
                {
                    int[] faceVertexCounts = [%s]
                    int[] faceVertexIndices = [%s]
                    point3f[] points = [%s]
                    texCoord2f[] primvars:st = [%s] (
                        interpolation = "vertex"
                    )
                    rel material:binding = </model/material>
                }

                def Material "material"
                {
                    token outputs:surface.connect = </model/material/surface.outputs:surface>
                    def Shader "surface"
                    {
                        uniform token info:id = "UsdPreviewSurface"
                        color3f inputs:diffuseColor.connect = </model/material/texture.outputs:rgb>
                        token outputs:surface
                    }
                    def Shader "texture"
                    {
                        uniform token info:id = "UsdUVTexture"
                        asset inputs:file = @textures/%s@
                        float3 outputs:rgb
                    }
                }
            }
            """;

    private MeshWriters() {
    }

    static byte[] obj(Mesh mesh, String mtlFile) {
        StringBuilder out = new StringBuilder("# ").append(CREATOR).append('\n');
        if (mtlFile != null) {
            out.append("mtllib ").append(mtlFile).append('\n');
        }
        out.append("o model\n");
        int base = 1;
        for (Primitive p : mesh.primitives()) {
            appendObjPrimitive(out, p, base);
            base += p.vertexCount();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendObjPrimitive(StringBuilder out, Primitive p, int base) {
        for (int v = 0; v < p.vertexCount(); v++) {
            out.append(String.format(Locale.ROOT, "v %f %f %f%n", p.positions()[v * 3],
                    p.positions()[v * 3 + 1], p.positions()[v * 3 + 2]));
            // OBJ's texture origin is bottom-left, glTF's top-left
            out.append(String.format(Locale.ROOT, "vt %f %f%n", p.uvs()[v * 2],
                    1 - p.uvs()[v * 2 + 1]));
            out.append(String.format(Locale.ROOT, "vn %f %f %f%n", p.normals()[v * 3],
                    p.normals()[v * 3 + 1], p.normals()[v * 3 + 2]));
        }
        out.append("usemtl material_").append(p.texture()).append('\n');
        for (int t = 0; t < p.triangleCount(); t++) {
            out.append('f');
            for (int k = 0; k < 3; k++) {
                int i = p.indices()[t * 3 + k] + base;
                out.append(' ').append(i).append('/').append(i).append('/').append(i);
            }
            out.append('\n');
        }
    }

    static byte[] mtl(Mesh mesh) {
        StringBuilder out = new StringBuilder("# ").append(CREATOR).append('\n');
        for (int i = 0; i < mesh.textures().size(); i++) {
            out.append("newmtl material_").append(i).append("\nKd 1.000 1.000 1.000\n")
                    .append("map_Kd ").append(textureName(mesh, i)).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] stl(Mesh mesh) {
        int triangles = mesh.primitives().stream().mapToInt(Primitive::triangleCount).sum();
        ByteBuffer out = ByteBuffer.allocate(84 + triangles * 50).order(ByteOrder.LITTLE_ENDIAN);
        byte[] header = new byte[80];
        byte[] name = CREATOR.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        out.put(header).putInt(triangles);
        for (Primitive p : mesh.primitives()) {
            for (int t = 0; t < p.triangleCount(); t++) {
                int first = p.indices()[t * 3];
                putVector(out, p.normals(), first);
                for (int k = 0; k < 3; k++) {
                    putVector(out, p.positions(), p.indices()[t * 3 + k]);
                }
                out.putShort((short) 0);
            }
        }
        return out.array();
    }

    private static void putVector(ByteBuffer out, float[] values, int vertex) {
        out.putFloat(values[vertex * 3]).putFloat(values[vertex * 3 + 1])
                .putFloat(values[vertex * 3 + 2]);
    }

    static byte[] fbx(Mesh mesh) {
        StringJoiner vertices = new StringJoiner(",");
        StringJoiner polygons = new StringJoiner(",");
        int base = 0;
        for (Primitive p : mesh.primitives()) {
            for (float v : p.positions()) {
                vertices.add(String.format(Locale.ROOT, "%f", v));
            }
            for (int i = 0; i < p.indices().length; i++) {
                int index = p.indices()[i] + base;
                // FBX marks the last vertex of each polygon by storing -(index + 1)
                polygons.add(String.valueOf(i % 3 == 2 ? -index - 1 : index));
            }
            base += p.vertexCount();
        }
        int indexCount = mesh.primitives().stream().mapToInt(p -> p.indices().length).sum();
        String text = FBX_TEMPLATE.formatted(CREATOR, mesh.vertexCount() * 3, vertices,
                indexCount, polygons);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] usdz(Mesh mesh) {
        AlignedZip zip = new AlignedZip();
        zip.addStored("model.usda", usda(mesh));
        for (int i = 0; i < mesh.textures().size(); i++) {
            zip.addStored("textures/" + textureName(mesh, i), mesh.textures().get(i).bytes());
        }
        return zip.finish();
    }

    private static byte[] usda(Mesh mesh) {
        StringJoiner points = new StringJoiner(", ");
        StringJoiner st = new StringJoiner(", ");
        StringJoiner indices = new StringJoiner(", ");
        StringJoiner counts = new StringJoiner(", ");
        int base = 0;
        for (Primitive p : mesh.primitives()) {
            appendTuples(points, p.positions(), 3);
            appendTuples(st, p.uvs(), 2);
            for (int i = 0; i < p.indices().length; i++) {
                indices.add(String.valueOf(p.indices()[i] + base));
            }
            for (int t = 0; t < p.triangleCount(); t++) {
                counts.add("3");
            }
            base += p.vertexCount();
        }
        String text = USDA_TEMPLATE.formatted(CREATOR, counts, indices, points, st,
                textureName(mesh, 0));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void appendTuples(StringJoiner out, float[] values, int width) {
        for (int i = 0; i < values.length; i += width) {
            StringJoiner tuple = new StringJoiner(", ", "(", ")");
            for (int k = 0; k < width; k++) {
                tuple.add(String.format(Locale.ROOT, "%f", values[i + k]));
            }
            out.add(tuple.toString());
        }
    }

    static byte[] assetsZip(Mesh mesh) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            putEntry(zip, "model.obj", obj(mesh, "model.mtl"));
            putEntry(zip, "model.mtl", mtl(mesh));
            for (int i = 0; i < mesh.textures().size(); i++) {
                putEntry(zip, textureName(mesh, i), mesh.textures().get(i).bytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] data)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    private static String textureName(Mesh mesh, int index) {
        return "texture_" + index + "." + mesh.textures().get(index).extension();
    }

    /**
     * USDZ requires stored (uncompressed) entries whose data starts at a multiple of 64
     * bytes; the local header's extra field is padded to get there.
     */
    private static final class AlignedZip {
        private static final int LOCAL_HEADER = 30;
        private static final int PADDING_ID = 0x1986;

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ZipOutputStream zip = new ZipOutputStream(bytes);

        void addStored(String name, byte[] data) {
            ZipEntry entry = new ZipEntry(name);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setCrc(crc.getValue());
            entry.setExtra(padding(name));
            try {
                zip.putNextEntry(entry);
                zip.write(data);
                zip.closeEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] padding(String name) {
            int headerEnd = bytes.size() + LOCAL_HEADER
                    + name.getBytes(StandardCharsets.UTF_8).length;
            int pad = (USDZ_ALIGNMENT - headerEnd % USDZ_ALIGNMENT) % USDZ_ALIGNMENT;
            if (pad != 0 && pad < 4) {
                pad += USDZ_ALIGNMENT;
            }
            if (pad == 0) {
                return null;
            }
            ByteBuffer extra = ByteBuffer.allocate(pad).order(ByteOrder.LITTLE_ENDIAN);
            extra.putShort((short) PADDING_ID).putShort((short) (pad - 4));
            return extra.array();
        }

        byte[] finish() {
            try {
                zip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
