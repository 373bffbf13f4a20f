package dev.falgate.emulator.queue;

import java.util.Arrays;
import java.util.Set;

/**
 * A fal endpoint id split as the official clients do (fal-protocol.md §1.1): submit uses the
 * full id, status/result/cancel only {@code [namespace/]owner/app}.
 */
public record EndpointId(String fullId, String appPath) {
    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

    public static EndpointId parse(String fullId) {
        String[] segments = fullId.split("/");
        int appSegments = NAMESPACES.contains(segments[0]) ? 3 : 2;
        if (segments.length <= appSegments) {
            return new EndpointId(fullId, fullId);
        }
        return new EndpointId(fullId, String.join("/", Arrays.copyOf(segments, appSegments)));
    }

    /** Whether a queue path prefix addresses this endpoint (owner/app, or the full id too). */
    public boolean matchesPrefix(String prefix) {
        return prefix.equals(appPath) || prefix.equals(fullId);
    }
}
