package dev.falgate.uploads;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What a file really is, from its first bytes: a caller's content type is a claim, the magic
 * bytes are the fact. Reads headers only (dimensions without decoding pixels).
 */
public final class FileSniffer {
    /** Enough of a file for every header we read (a JPEG's SOF usually sits within the first KBs). */
    public static final int HEAD_BYTES = 256 * 1024;
    private static final long MAX_SAFETENSORS_HEADER = 100L * 1024 * 1024;

    private FileSniffer() {
    }

    /** The image type by magic bytes: image/png, image/jpeg, image/webp, image/gif, or empty. */
    public static Optional<String> imageType(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("image/png");
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
            return Optional.of("image/webp");
        }
        if (startsWith(head, 0, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        return Optional.empty();
    }

    /** A safetensors file: an 8-byte little-endian header length, then a JSON object. */
    public static boolean isSafetensors(byte[] head, long fileSize) {
        if (head.length < 10) {
            return false;
        }
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerLength >= 2 && headerLength <= MAX_SAFETENSORS_HEADER && 8 + headerLength <= fileSize
                && head[8] == '{';
    }

    public record Dimensions(int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /** Width and height from the image header, when the head holds it. */
    public static Optional<Dimensions> dimensions(byte[] head) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(head))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return Optional.of(new Dimensions(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a truncated head or a format ImageIO lacks (WebP)
        }
    }

    private static boolean startsWith(byte[] data, int offset, int... magic) {
        if (data.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((data[offset + i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
