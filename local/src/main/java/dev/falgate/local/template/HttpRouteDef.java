package dev.falgate.local.template;

/** An {@code HttpApi} event: {@code Method} and {@code Path} of one route of one function. */
public record HttpRouteDef(String functionLogicalId, String eventName, String method, String path) {
    /** SAM's catch-all: {@code Path: $default} (SAM also takes {@code /$default}) with {@code Method: ANY}. */
    static final String DEFAULT_ROUTE = "$default";

    /** As API Gateway puts it in {@code event.routeKey}: {@code "POST /v1/jobs/{id}/cancel"}, or {@code "$default"}. */
    public String routeKey() {
        return isDefault() ? DEFAULT_ROUTE : method + " " + path;
    }

    /** The route API Gateway picks when no other route matches the request. */
    public boolean isDefault() {
        return path.equals(DEFAULT_ROUTE) || path.equals("/" + DEFAULT_ROUTE);
    }
}
