package dev.falgate.read;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web page, shipped inside the functions jar under {@code /web}; the 3D viewer's files,
 * produced from the npm lock file, under {@code /web/vendor}. Every answer carries an ETag
 * (a revalidation is a 304) and the page's CSP.
 */
final class WebAssets {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "json", "application/json", "wasm", "application/wasm",
            "map", "application/json");
    private static final Pattern PAGE_FILE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(html|js|css|svg|json)");
    private static final Pattern VENDOR_FILE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(js|mjs|css|json|wasm|map)");
    /** A file name carrying a version (e.g. {@code model-viewer-4.1.0.min.js}) never changes content. */
    private static final Pattern VERSIONED = Pattern.compile(".*[-_.@]v?\\d+\\.\\d+\\.\\d+.*");
    /** Decoders that compile WebAssembly, so the CSP must allow it when one is shipped. */
    private static final String[] WASM_DECODERS = {"draco_decoder.wasm", "basis_transcoder.wasm"};

    private record Asset(byte[] bytes, String etag) {
    }

    private static final Map<String, Asset> CACHE = new ConcurrentHashMap<>();

    private WebAssets() {
    }

    /** Whether the vendored viewer ships a WebAssembly decoder. */
    static boolean shipsWasm() {
        for (String decoder : WASM_DECODERS) {
            if (WebAssets.class.getResource("/web/vendor/" + decoder) != null) {
                return true;
            }
        }
        return false;
    }

    static APIGatewayV2HTTPResponse page(String file, Optional<String> ifNoneMatch, String csp) {
        return serve(PAGE_FILE, "/web/", file, ifNoneMatch, csp, "no-cache");
    }

    static APIGatewayV2HTTPResponse vendor(String file, Optional<String> ifNoneMatch, String csp) {
        String caching = VERSIONED.matcher(file).matches() ? "public, max-age=31536000, immutable" : "no-cache";
        return serve(VENDOR_FILE, "/web/vendor/", file, ifNoneMatch, csp, caching);
    }

    private static APIGatewayV2HTTPResponse serve(Pattern allowed, String folder, String file,
            Optional<String> ifNoneMatch, String csp, String caching) {
        if (file == null || !allowed.matcher(file).matches()) {
            throw ApiException.notFound("file");
        }
        Asset asset = CACHE.computeIfAbsent(folder + file, WebAssets::load);
        if (asset == null) {
            throw ApiException.notFound("file");
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        Map<String, String> headers = new HashMap<>(Map.of("content-type", TYPES.get(ext), "cache-control", caching,
                "etag", asset.etag(), "x-content-type-options", "nosniff", "referrer-policy", "no-referrer",
                "content-security-policy", csp));
        if (ifNoneMatch.map(v -> v.contains(asset.etag())).orElse(false)) {
            headers.remove("content-type");
            return APIGatewayV2HTTPResponse.builder().withStatusCode(304).withHeaders(headers).build();
        }
        boolean text = TYPES.get(ext).startsWith("text/") || ext.equals("json") || ext.equals("svg") || ext.equals("map");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                .withBody(text ? new String(asset.bytes(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(asset.bytes()))
                .withIsBase64Encoded(!text).build();
    }

    /** The file's bytes and ETag, or null (not remembered: names asked for are the caller's choice). */
    private static Asset load(String path) {
        try (InputStream in = WebAssets.class.getResourceAsStream(path)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
