package dev.falgate.outputs;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small PNG previews of image outputs for lists and galleries. Memory stays bounded whatever
 * the image: the decoder reads only every n-th pixel of every n-th row (ImageIO subsampling),
 * so the decoded raster is at most about twice the thumbnail's side squared, and images over
 * {@link #MAX_PIXELS} get none at all.
 */
public final class Thumbnails {
    public static final int LONGEST_SIDE = 256;
    /** 64 megapixels: above this (a decompression bomb, or a panorama) no thumbnail is made. */
    public static final long MAX_PIXELS = 64L * 1024 * 1024;

    private Thumbnails() {
    }

    /** Formats every browser shows in an {@code <img>}; an image of these no larger than a thumbnail is its own. */
    private static final java.util.Set<String> SHOWN_AS_IS = java.util.Set.of("image/png", "image/jpeg", "image/webp", "image/gif");

    /** Whether an image is already thumbnail-sized (known dimensions, longest side at most {@link #LONGEST_SIDE}) in a format browsers show. */
    public static boolean isOwnPreview(String contentType, Integer width, Integer height) {
        return width != null && height != null && SHOWN_AS_IS.contains(contentType)
                && Math.max(width, height) <= LONGEST_SIDE;
    }

    /** A PNG whose longest side is at most {@link #LONGEST_SIDE}; empty when the format is unknown or the image too large. */
    public static Optional<byte[]> png(InputStream image) throws IOException {
        return png(image, MAX_PIXELS);
    }

    /** Tests: a lower pixel limit. */
    static Optional<byte[]> png(InputStream image, long maxPixels) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(image)) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.ofNullable(decodeSmall(reader, maxPixels)).map(Thumbnails::scaleAndEncode);
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage decodeSmall(ImageReader reader, long maxPixels) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > maxPixels) {
            return null;
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = Math.max(1, Math.max(width, height) / LONGEST_SIDE);
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
    }

    private static byte[] scaleAndEncode(BufferedImage decoded) {
        double scale = Math.min(1.0, (double) LONGEST_SIDE / Math.max(decoded.getWidth(), decoded.getHeight()));
        int w = Math.max(1, (int) Math.round(decoded.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(decoded.getHeight() * scale));
        BufferedImage thumb = new BufferedImage(w, h,
                decoded.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = thumb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(decoded, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(thumb, "png", out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
