package dev.falgate.read;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The web page, shipped inside the functions jar under {@code /web}. */
final class WebAssets {
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "json", "application/json");

    private WebAssets() {
    }

    static APIGatewayV2HTTPResponse serve(String file) {
        if (!file.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(html|js|css|svg|json)")) {
            throw ApiException.notFound("file");
        }
        try (InputStream in = WebAssets.class.getResourceAsStream("/web/" + file)) {
            if (in == null) {
                throw ApiException.notFound("file");
            }
            String ext = file.substring(file.lastIndexOf('.') + 1);
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", TYPES.get(ext), "cache-control", "no-cache",
                            "x-content-type-options", "nosniff", "referrer-policy", "no-referrer"))
                    .withBody(new String(in.readAllBytes(), StandardCharsets.UTF_8)).withIsBase64Encoded(false).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
