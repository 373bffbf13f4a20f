package dev.falgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A GLB of exactly {@code size} bytes made on the fly, the same bytes every time: a valid GLB
 * header, a JSON chunk declaring one buffer, then a BIN chunk of pseudo-random bytes
 * ({@link SplittableRandom} with a fixed seed). Never held in memory: 64 KiB at a time.
 */
final class GlbSource extends InputStream {
    static final long SEED = 0x5EEDFA16L;
    private static final int BLOCK = 64 * 1024;

    private final long size;
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final byte[] block = new byte[BLOCK];
    private final ByteBuffer longs = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
    private int blockPos;
    private int blockLen;
    private long produced;

    GlbSource(long size) {
        if (size < 1024 || size % 4 != 0 || size > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("size must be a multiple of 4, 1 KiB .. 4 GiB - 1");
        }
        this.size = size;
        byte[] header = header(size);
        System.arraycopy(header, 0, block, 0, header.length);
        blockLen = header.length;
    }

    /** 12-byte GLB header + JSON chunk (padded with spaces) + BIN chunk header. */
    private static byte[] header(long size) {
        String json = "{\"asset\":{\"version\":\"2.0\",\"generator\":\"falgate-bench\"},\"buffers\":[{\"byteLength\":%d}]}";
        String body = String.format(json, 0L);
        int jsonLen = (body.length() + 20 + 3) & ~3;
        long binLen = size - 12 - 8 - jsonLen - 8;
        byte[] j = String.format(json, binLen).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + jsonLen + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46546C67).putInt(2).putInt((int) size);
        b.putInt(jsonLen).putInt(0x4E4F534A).put(j);
        while (b.position() < 20 + jsonLen) {
            b.put((byte) ' ');
        }
        b.putInt((int) binLen).putInt(0x004E4942);
        return b.array();
    }

    private boolean fill() {
        if (produced >= size) {
            return false;
        }
        if (blockPos < blockLen) {
            return true;
        }
        longs.clear();
        for (int i = 0; i < BLOCK / 8; i++) {
            longs.putLong(random.nextLong());
        }
        blockPos = 0;
        blockLen = (int) Math.min(BLOCK, size - produced);
        return true;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, blockLen - blockPos);
        System.arraycopy(block, blockPos, b, off, n);
        blockPos += n;
        produced += n;
        return n;
    }

    long size() {
        return size;
    }

    static void writeTo(long size, OutputStream out) throws IOException {
        try (GlbSource in = new GlbSource(size)) {
            in.transferTo(out);
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[BLOCK];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
