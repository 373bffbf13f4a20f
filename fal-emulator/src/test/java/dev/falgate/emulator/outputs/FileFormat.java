package dev.falgate.emulator.outputs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The file formats the 23 schemas can return, and how a file object says which one it holds:
 * by a specific {@code content_type}, else (fal labels meshes application/octet-stream) by the
 * extension of its {@code file_name} or URL path.
 */
enum FileFormat {
    PNG, JPEG, WEBP, GLB, ZIP, USDZ, FBX, OBJ, STL;

    private static final Map<String, FileFormat> BY_CONTENT_TYPE = Map.of(
            "image/png", PNG, "image/jpeg", JPEG, "image/webp", WEBP,
            "model/gltf-binary", GLB, "application/zip", ZIP, "model/vnd.usdz+zip", USDZ,
            "model/obj", OBJ, "model/stl", STL);
    private static final Map<String, FileFormat> BY_EXTENSION = Map.of(
            "png", PNG, "jpg", JPEG, "jpeg", JPEG, "webp", WEBP, "glb", GLB, "zip", ZIP,
            "usdz", USDZ, "fbx", FBX, "obj", OBJ, "stl", STL);

    boolean isRaster() {
        return this == PNG || this == JPEG || this == WEBP;
    }

    static FileFormat declaredBy(JsonNode file) {
        String contentType = file.path("content_type").asText("").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(BY_CONTENT_TYPE.get(contentType))
                .or(() -> byExtension(file.path("file_name").asText("")))
                .or(() -> byExtension(urlPath(file.path("url").asText(""))))
                .orElseThrow(() -> new AssertionError("cannot tell the format of " + file));
    }

    private static Optional<FileFormat> byExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(BY_EXTENSION.get(name.substring(dot + 1)
                        .toLowerCase(Locale.ROOT)));
    }

    private static String urlPath(String url) {
        if (url.startsWith("data:")) {
            return "";
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
