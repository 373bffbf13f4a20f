package dev.falgate.storage;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} values for presigned downloads, so a browser saves a
 * file under its name: an ASCII {@code filename} for old clients and, when the name is not plain
 * ASCII, an RFC 5987 {@code filename*} in UTF-8 (RFC 6266 §4.3).
 */
public final class DownloadNames {
    private static final int MAX_NAME_CHARS = 200;

    private DownloadNames() {
    }

    public static String attachment(String name) {
        String clean = clean(name);
        String ascii = asciiFallback(clean);
        String header = "attachment; filename=\"" + ascii + "\"";
        return ascii.equals(clean) ? header : header + "; filename*=UTF-8''" + percentEncode(clean);
    }

    /**
     * The last path segment, without control characters; never empty. Names come from fal's
     * results and from uploaders, so nothing in them may steer where a browser saves.
     */
    public static String clean(String name) {
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder out = new StringBuilder();
        base.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))
                .limit(MAX_NAME_CHARS).forEach(out::appendCodePoint);
        String s = out.toString().strip();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "download" : s;
    }

    /** Printable ASCII with quote and backslash replaced, non-ASCII as {@code _}. */
    private static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(c -> out.append(c < 0x80 && c != '"' && c != '\\' ? (char) c : '_'));
        return out.toString();
    }

    /** RFC 5987 {@code value-chars}: attr-char kept, every other UTF-8 byte as %XX. */
    private static String percentEncode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
