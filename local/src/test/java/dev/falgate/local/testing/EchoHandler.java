package dev.falgate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Answers with what it received, so tests can look at the event the HTTP front built. */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final List<String> ROUTES = List.of("GET /items", "GET /items/{id}", "GET /items/special",
            "POST /echo/{name}", "GET /binary", "ANY /files/{path+}");
    static final byte[] BINARY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;

    public EchoHandler() {
        this(System.getenv());
    }

    public EchoHandler(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRouteKey().equals("GET /binary")) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/octet-stream"))
                    .withMultiValueHeaders(Map.of("x-multi", List.of("a", "b")))
                    .withCookies(List.of("session=abc; Path=/", "theme=dark"))
                    .withBody(Base64.getEncoder().encodeToString(BINARY)).withIsBase64Encoded(true).build();
        }
        context.getLogger().log("echo " + event.getRouteKey());
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("event", event);
        echo.put("decodedBody", decodedBody(event));
        echo.put("greeting", env.get("GREETING"));
        echo.put("remainingMillis", context.getRemainingTimeInMillis());
        echo.put("functionName", context.getFunctionName());
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody(JSON.writeValueAsString(echo)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decodedBody(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return null;
        }
        return event.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8)
                : event.getBody();
    }
}
