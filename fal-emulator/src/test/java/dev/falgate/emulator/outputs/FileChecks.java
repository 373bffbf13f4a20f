package dev.falgate.emulator.outputs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Magic bytes and basic structure of each format, checked from the bytes alone. */
final class FileChecks {
    private static final byte[] FBX_BINARY_MAGIC =
            "Kaydara FBX Binary  \0".getBytes(StandardCharsets.ISO_8859_1);

    private FileChecks() {
    }

    static void assertValid(FileFormat format, byte[] bytes, String where) {
        switch (format) {
            case PNG -> assertStartsWith(bytes, where, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n');
            case JPEG -> assertStartsWith(bytes, where, 0xFF, 0xD8, 0xFF);
            case WEBP -> assertWebp(bytes, where);
            case GLB -> GlbCheck.parse(bytes, where);
            case ZIP -> assertThat(zipEntries(bytes, where)).as(where + " zip entries").isNotEmpty();
            case USDZ -> assertUsdz(bytes, where);
            case FBX -> assertFbx(bytes, where);
            case OBJ -> assertObj(bytes, where);
            case STL -> assertStl(bytes, where);
        }
    }

    static void assertStartsWith(byte[] bytes, String where, int... magic) {
        assertThat(bytes.length).as(where + " length").isGreaterThanOrEqualTo(magic.length);
        for (int i = 0; i < magic.length; i++) {
            assertThat(bytes[i] & 0xFF).as(where + " magic byte " + i).isEqualTo(magic[i]);
        }
    }

    private static void assertWebp(byte[] bytes, String where) {
        assertStartsWith(bytes, where, 'R', 'I', 'F', 'F');
        assertThat(ascii(bytes, 8, 4)).as(where + " RIFF form").isEqualTo("WEBP");
        assertThat(u32(bytes, 4) + 8).as(where + " RIFF size").isEqualTo(bytes.length);
    }

    /** Zip entry names in order; every entry must be readable to its end (CRC checked). */
    static List<String> zipEntries(byte[] bytes, String where) {
        assertStartsWith(bytes, where, 'P', 'K', 3, 4);
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                zip.readAllBytes();
                names.add(e.getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(where + ": unreadable zip", e);
        }
        return names;
    }

    /** A zip whose first entry is the USD layer; entries stored and 64-byte aligned. */
    private static void assertUsdz(byte[] bytes, String where) {
        List<String> names = zipEntries(bytes, where);
        assertThat(names.get(0)).as(where + " first entry").matches(".*\\.usd[ac]");
        int offset = 0;
        while (offset + 30 <= bytes.length && u32(bytes, offset) == 0x04034B50L) {
            int dataStart = offset + 30 + u16(bytes, offset + 26) + u16(bytes, offset + 28);
            assertThat(u16(bytes, offset + 8)).as(where + " entry stored").isZero();
            assertThat(dataStart % 64).as(where + " entry data 64-byte aligned").isZero();
            offset = dataStart + (int) u32(bytes, offset + 18);
        }
        if (names.get(0).endsWith(".usda")) {
            int firstData = 30 + u16(bytes, 26) + u16(bytes, 28);
            assertThat(ascii(bytes, firstData, 9)).as(where + " USDA header").isEqualTo("#usda 1.0");
        }
    }

    /** Binary FBX (magic, 0x1A 0x00, version >= 7100) or ASCII FBX (header comment, sections). */
    private static void assertFbx(byte[] bytes, String where) {
        if (startsWith(bytes, FBX_BINARY_MAGIC)) {
            assertThat(bytes[21] & 0xFF).as(where + " FBX 0x1A").isEqualTo(0x1A);
            assertThat(bytes[22]).as(where + " FBX 0x00").isZero();
            assertThat(u32(bytes, 23)).as(where + " FBX version").isGreaterThanOrEqualTo(7100);
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).as(where + " ASCII FBX").startsWith("; FBX ").contains(
                "FBXHeaderExtension:", "GlobalSettings:", "Definitions:", "Objects:",
                "Connections:");
        assertThat(text.chars().filter(c -> c == '{').count()).as(where + " balanced braces")
                .isEqualTo(text.chars().filter(c -> c == '}').count());
        assertFbxArray(text, "Vertices", where);
        String[] polygon = assertFbxArray(text, "PolygonVertexIndex", where);
        assertThat(Integer.parseInt(polygon[polygon.length - 1].trim()))
                .as(where + " last polygon closed (negative index)").isNegative();
    }

    /** An ASCII FBX array property {@code Name: *N { a: v1,...,vN }}; returns its values. */
    private static String[] assertFbxArray(String text, String name, String where) {
        Matcher array = Pattern.compile(name + ": \\*(\\d+) \\{\\s*a: ([^}]*)\\}")
                .matcher(text);
        assertThat(array.find()).as(where + " FBX " + name + " array").isTrue();
        String[] values = array.group(2).trim().split(",");
        assertThat(values).as(where + " FBX " + name + " count")
                .hasSize(Integer.parseInt(array.group(1)));
        return values;
    }

    /** Text with vertices and faces whose (1-based) indices all name an existing vertex. */
    private static void assertObj(byte[] bytes, String where) {
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        long vertices = lines.stream().filter(l -> l.startsWith("v ")).count();
        List<String> faces = lines.stream().filter(l -> l.startsWith("f ")).toList();
        assertThat(vertices).as(where + " OBJ 'v' lines").isPositive();
        assertThat(faces).as(where + " OBJ 'f' lines").isNotEmpty();
        for (String face : faces) {
            for (String corner : face.substring(2).trim().split("\\s+")) {
                assertThat(Long.parseLong(corner.split("/")[0])).as(where + " " + face)
                        .isBetween(1L, vertices);
            }
        }
    }

    /** ASCII ("solid ... endsolid") or binary (80-byte header + count matching the length). */
    private static void assertStl(byte[] bytes, String where) {
        String head = ascii(bytes, 0, Math.min(bytes.length, 6));
        if (head.startsWith("solid ") && new String(bytes, StandardCharsets.US_ASCII)
                .contains("endsolid")) {
            return;
        }
        assertThat(bytes.length).as(where + " STL header + count").isGreaterThanOrEqualTo(84);
        long triangles = u32(bytes, 80);
        assertThat(triangles).as(where + " STL triangles").isPositive();
        assertThat((long) bytes.length).as(where + " STL length").isEqualTo(84 + 50 * triangles);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, Math.max(0, Math.min(length, bytes.length - offset)),
                StandardCharsets.ISO_8859_1);
    }

    static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8;
    }

    static long u32(byte[] bytes, int at) {
        return ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }
}
