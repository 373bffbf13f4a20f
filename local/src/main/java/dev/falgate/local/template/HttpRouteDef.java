package dev.falgate.local.template;

/** An {@code HttpApi} event: {@code Method} and {@code Path} of one route of one function. */
public record HttpRouteDef(String functionLogicalId, String eventName, String method, String path) {

    /** As API Gateway puts it in {@code event.routeKey}: {@code "POST /v1/jobs/{id}/cancel"}. */
    public String routeKey() {
        return method + " " + path;
    }
}
