package dev.falgate.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The page's Content-Security-Policy, sent as a response header. Its one foreign origin is the
 * bucket's, taken from a presigned URL so it is exactly the origin the page's files come from
 * (virtual-hosted {@code https://<bucket>.s3.<region>.amazonaws.com} on AWS, the path-style
 * endpoint locally, {@code FALGATE_PUBLIC_S3_ENDPOINT} when set). {@code blob:} and
 * {@code data:} are allowed only where the 3D viewer needs them: three.js' GLTFLoader turns
 * embedded textures into blob URLs, its decoders run in workers built from blobs.
 */
public final class ContentSecurityPolicy {
    /**
     * The hashes of the viewer's own inline {@code <style>} (its shadow DOM's), written by
     * web/vendor-src/vendor.sh next to the file it hashes: the viewer is styled, nothing else inline is.
     */
    private static final String VENDOR_STYLE_SOURCES = vendorStyleSources();

    private ContentSecurityPolicy() {
    }

    private static String vendorStyleSources() {
        try (InputStream in = ContentSecurityPolicy.class.getResourceAsStream("/web/vendor/csp-style-src")) {
            if (in == null) {
                return "";
            }
            StringBuilder sources = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.matches("'sha256-[A-Za-z0-9+/]+=*'")) {
                    sources.append(' ').append(line);
                }
            }
            return sources.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param bucketOrigin e.g. {@code https://files.s3.eu-west-1.amazonaws.com}; null when unknown (then only 'self')
     * @param wasm whether the vendored viewer compiles WebAssembly (a Draco or Basis decoder is shipped)
     */
    public static String header(String bucketOrigin, boolean wasm) {
        String bucket = bucketOrigin == null ? "" : " " + bucketOrigin;
        return String.join("; ",
                "default-src 'self'",
                "script-src 'self'" + (wasm ? " 'wasm-unsafe-eval'" : ""),
                "style-src 'self'" + VENDOR_STYLE_SOURCES,
                "img-src 'self'" + bucket + " blob: data:",
                "media-src 'self'" + bucket,
                "connect-src 'self'" + bucket + " blob: data:",
                "worker-src 'self' blob:",
                "font-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'");
    }

    /** The origin of a URL: scheme, host and a port only when it is not the scheme's default. */
    public static String origin(URL url) {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        int port = url.getPort();
        boolean defaultPort = port == -1 || port == url.getDefaultPort();
        return scheme + "://" + url.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
