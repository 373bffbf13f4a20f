package dev.falgate.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a call through the proxy is for, read from its {@code x-fal-target-url}: only fal's own
 * hosts ({@code queue.fal.run}, {@code fal.run}, {@code rest.fal.ai}) over https, and on them
 * only the calls {@code @fal-ai/client} makes. The model stays a path here; whether it is in
 * the catalog is the service's question.
 */
public record FalTarget(Kind kind, String path, String requestId, Map<String, String> query) {
    public static final String HEADER = "x-fal-target-url";

    public enum Kind {
        /** POST queue.fal.run/{model}: path = the full model id. */
        SUBMIT,
        /** GET .../requests/{id}/status: path = owner/app. */
        STATUS,
        STATUS_STREAM,
        /** GET .../requests/{id}. */
        RESULT,
        /** PUT .../requests/{id}/cancel. */
        CANCEL,
        /** POST fal.run/{model}: path = the full model id. */
        RUN,
        /** POST fal.run/{model}/stream (refused: no streaming endpoint is served). */
        RUN_STREAM,
        /** POST rest.fal.ai/storage/upload/initiate. */
        UPLOAD_INITIATE,
        /** POST rest.fal.ai/storage/upload/initiate-multipart (refused: files over 90 MB). */
        UPLOAD_MULTIPART
    }

    private static final Pattern REQUEST = Pattern.compile("^(.+?)/requests/([^/]+)(/status(/stream)?|/cancel)?$");

    /** The target, or a {@link ProxyRefusal} saying why the proxy will not serve it. */
    public static FalTarget parse(Optional<String> header, String method) {
        String raw = header.orElseThrow(() -> ProxyRefusal.badRequest("the " + HEADER + " header is required"));
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw ProxyRefusal.badRequest(HEADER + " is not a URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getPort() != -1 || uri.getUserInfo() != null) {
            throw ProxyRefusal.forbidden("only https://queue.fal.run, https://fal.run and https://rest.fal.ai are reachable");
        }
        String path = trimSlashes(uri.getRawPath() == null ? "" : uri.getRawPath());
        Map<String, String> query = ProxyQuery.parse(uri.getRawQuery());
        return switch (host) {
            case "queue.fal.run" -> queue(path, method, query);
            case "fal.run" -> run(path, method, query);
            case "rest.fal.ai", "rest.alpha.fal.ai" -> rest(path, method, query);
            default -> throw ProxyRefusal.forbidden("host " + host + " is not fal's: only queue.fal.run, fal.run and rest.fal.ai are reachable");
        };
    }

    private static FalTarget queue(String path, String method, Map<String, String> query) {
        Matcher m = REQUEST.matcher(path);
        if (m.matches()) {
            String suffix = m.group(3) == null ? "" : m.group(3);
            Kind kind = switch (suffix) {
                case "" -> Kind.RESULT;
                case "/status" -> Kind.STATUS;
                case "/status/stream" -> Kind.STATUS_STREAM;
                default -> Kind.CANCEL;
            };
            requireMethod(method, kind == Kind.CANCEL ? "PUT" : "GET");
            return new FalTarget(kind, m.group(1), m.group(2), query);
        }
        requireMethod(method, "POST");
        return new FalTarget(Kind.SUBMIT, path, null, query);
    }

    private static FalTarget run(String path, String method, Map<String, String> query) {
        requireMethod(method, "POST");
        return path.endsWith("/stream")
                ? new FalTarget(Kind.RUN_STREAM, path.substring(0, path.length() - "/stream".length()), null, query)
                : new FalTarget(Kind.RUN, path, null, query);
    }

    private static FalTarget rest(String path, String method, Map<String, String> query) {
        requireMethod(method, "POST");
        return switch (path) {
            case "storage/upload/initiate" -> new FalTarget(Kind.UPLOAD_INITIATE, path, null, query);
            case "storage/upload/initiate-multipart" -> new FalTarget(Kind.UPLOAD_MULTIPART, path, null, query);
            default -> throw ProxyRefusal.forbidden("rest.fal.ai/" + path + " is not served by falgate's proxy (only storage uploads)");
        };
    }

    private static void requireMethod(String actual, String expected) {
        if (!expected.equalsIgnoreCase(actual)) {
            throw new ProxyRefusal(405, "this fal call takes " + expected + ", not " + actual);
        }
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    /** Query flags as the clients send them: {@code 1} or {@code true} is on. */
    public boolean flag(String name) {
        String v = query.get(name);
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }
}
