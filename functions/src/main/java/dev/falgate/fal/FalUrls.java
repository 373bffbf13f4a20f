package dev.falgate.fal;

import java.net.URI;

/**
 * fal's queue URLs for a request: submit on the full model id, everything else on
 * {@code [namespace/]owner/app} only. Needed when a webhook names a request before submit
 * could store the URLs fal returned.
 */
public final class FalUrls {
    private static final java.util.Set<String> NAMESPACES = java.util.Set.of("workflows", "comfy");

    private FalUrls() {
    }

    public static String requestBase(URI queueBase, String modelId, String requestId) {
        String[] parts = modelId.split("/");
        int appSegments = NAMESPACES.contains(parts[0]) ? 3 : 2;
        String app = String.join("/", java.util.Arrays.copyOf(parts, Math.min(appSegments, parts.length)));
        return queueBase.toString().replaceAll("/+$", "") + "/" + app + "/requests/" + requestId;
    }

    public static String status(URI queueBase, String modelId, String requestId) {
        return requestBase(queueBase, modelId, requestId) + "/status";
    }

    public static String cancel(URI queueBase, String modelId, String requestId) {
        return requestBase(queueBase, modelId, requestId) + "/cancel";
    }
}
