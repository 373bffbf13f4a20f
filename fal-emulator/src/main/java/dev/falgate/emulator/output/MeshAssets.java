package dev.falgate.emulator.output;

import dev.falgate.catalog.OutputField;
import dev.falgate.emulator.image.ImageCodec;
import dev.falgate.emulator.image.ImageFormat;
import dev.falgate.emulator.image.ViewRenderer;
import dev.falgate.emulator.mesh.MaterialStyle;
import dev.falgate.emulator.mesh.Mesh;
import dev.falgate.emulator.mesh.MeshFormat;
import dev.falgate.emulator.mesh.TexturedCube;
import dev.falgate.emulator.mesh.TexturedCube.Face;
import dev.falgate.emulator.mesh.Texture;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Image-to-3D and multiview-to-3D: a cube textured with the input image(s) (each view on its
 * side), written as GLB or the format the model's input asks for; plus the extra files the
 * schemas list: a preview render, the textures, PBR variants and asset archives.
 */
final class MeshAssets implements FileProducer {
    /** Inputs without a side in their field name take sides in this order. */
    private static final Face[] VIEW_ORDER = {Face.FRONT, Face.BACK, Face.LEFT, Face.RIGHT};
    /** Input fields through which the 3D models choose their mesh format. */
    private static final List<String> FORMAT_FIELDS = List.of("geometry_file_format",
            "output_format");
    private static final int PREVIEW_SIZE = 512;
    /** Largest {@code texture_size} honoured: the largest the models offer (64 MB of pixels). */
    private static final int MAX_TEXTURE_SIZE = 4096;

    @Override
    public List<GeneratedFile> produce(OutputField field, GenerationContext context) {
        Mesh mesh = context.memo("mesh", () -> texturedCube(context));
        String name = field.name().toLowerCase(Locale.ROOT);
        if (name.contains("render") || name.contains("preview")) {
            return List.of(preview(mesh));
        }
        if (name.equals("textures") || name.startsWith("texture")) {
            return mesh.textures().stream().map(MeshAssets::textureFile).toList();
        }
        if (isArchive(field)) {
            return List.of(file(mesh, MeshFormat.ZIP, MaterialStyle.STANDARD));
        }
        MaterialStyle style = name.contains("pbr") ? MaterialStyle.PBR : MaterialStyle.STANDARD;
        MeshFormat format = name.equals("model_mesh") ? requestedFormat(context) : MeshFormat.GLB;
        return List.of(file(mesh, format, style));
    }

    /** "...assets zip", "Directory containing textures...": these are archives. */
    private static boolean isArchive(OutputField field) {
        String description = field.description() == null
                ? "" : field.description().toLowerCase(Locale.ROOT);
        return description.contains("zip") || description.contains("directory")
                || field.name().endsWith("_dir");
    }

    /** The model's format input if it names a mesh format; tripo's {@code quad} forces FBX. */
    private static MeshFormat requestedFormat(GenerationContext context) {
        if (context.flag("quad", false)) {
            return MeshFormat.FBX;
        }
        return FORMAT_FIELDS.stream()
                .filter(context::acceptsInput)
                .map(f -> MeshFormat.fromParameter(context.text(f, null)))
                .flatMap(Optional::stream)
                .findFirst()
                .orElse(MeshFormat.GLB);
    }

    private static Mesh texturedCube(GenerationContext context) {
        Map<Face, Integer> faces = new EnumMap<>(Face.class);
        List<Texture> textures = new ArrayList<>();
        for (SourceImage image : context.images()) {
            Face face = sideOf(image);
            if (!faces.containsKey(face)) {
                faces.put(face, textures.size());
                textures.add(texture(image, context));
            }
        }
        return TexturedCube.build(faces, textures);
    }

    /** Models with a {@code texture_size} input bake their texture square at that size. */
    private static Texture texture(SourceImage image, GenerationContext context) {
        int size = context.acceptsInput("texture_size") ? context.integer("texture_size", 0) : 0;
        return size > 0 ? image.squareTexture(Math.min(size, MAX_TEXTURE_SIZE)) : image.texture();
    }

    private static Face sideOf(SourceImage image) {
        String field = image.field().toLowerCase(Locale.ROOT);
        for (Face face : VIEW_ORDER) {
            if (field.contains(face.name().toLowerCase(Locale.ROOT))) {
                return face;
            }
        }
        return VIEW_ORDER[image.index() % VIEW_ORDER.length];
    }

    private static GeneratedFile file(Mesh mesh, MeshFormat format, MaterialStyle style) {
        return GeneratedFile.model(format.write(mesh, style), format);
    }

    private static GeneratedFile preview(Mesh mesh) {
        return GeneratedFile.image(ViewRenderer.cubePreview(decode(mesh.textures().get(0)),
                PREVIEW_SIZE), ImageFormat.PNG);
    }

    private static GeneratedFile textureFile(Texture texture) {
        return GeneratedFile.image(decode(texture), ImageFormat.PNG);
    }

    private static BufferedImage decode(Texture texture) {
        return ImageCodec.decode(texture.bytes());
    }
}
