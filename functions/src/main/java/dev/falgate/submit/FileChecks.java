package dev.falgate.submit;

import dev.falgate.catalog.FieldConstraints;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.uploads.FileSniffer;
import dev.falgate.uploads.UploadService.FieldProblem;
import java.util.Optional;

/**
 * A file input is what it claims and what the model accepts: an image field gets a PNG, JPEG,
 * WebP or GIF by its magic bytes, a LoRA field a safetensors file, and the model's own limits
 * (bytes, pixels, longest side) hold.
 */
final class FileChecks {
    private FileChecks() {
    }

    static void check(FieldSpec field, String path, String claimedType, long size, byte[] head) {
        if ("safetensors".equals(field.fileKind())) {
            if (!FileSniffer.isSafetensors(head, size)) {
                throw new FieldProblem(path, "invalid_file", "not a safetensors file");
            }
        } else {
            checkImage(path, claimedType, head);
        }
        checkLimits(field.constraints(), path, size, head);
    }

    private static void checkImage(String path, String claimedType, byte[] head) {
        Optional<String> actual = FileSniffer.imageType(head);
        if (actual.isEmpty()) {
            throw new FieldProblem(path, "invalid_file", "not a PNG, JPEG, WebP or GIF image");
        }
        if (claimedType.startsWith("image/") && !claimedType.equals(actual.get())) {
            throw new FieldProblem(path, "content_mismatch", "claims to be " + claimedType + " but is " + actual.get());
        }
    }

    private static void checkLimits(FieldConstraints c, String path, long size, byte[] head) {
        if (c == null) {
            return;
        }
        if (c.maxBytes() != null && size > c.maxBytes()) {
            throw new FieldProblem(path, "file_too_large", "file is " + size + " bytes; this model takes at most " + c.maxBytes());
        }
        if (c.maxPixels() == null && c.maxSide() == null) {
            return;
        }
        FileSniffer.Dimensions d = FileSniffer.dimensions(head).orElseThrow(() ->
                new FieldProblem(path, "invalid_file", "image dimensions cannot be read"));
        if (c.maxPixels() != null && d.pixels() > c.maxPixels()) {
            throw new FieldProblem(path, "image_too_large", d.width() + "×" + d.height() + " is over " + c.maxPixels() + " pixels");
        }
        if (c.maxSide() != null && Math.max(d.width(), d.height()) > c.maxSide()) {
            throw new FieldProblem(path, "image_too_large", "a side of " + d.width() + "×" + d.height() + " is over " + c.maxSide() + " pixels");
        }
    }
}
