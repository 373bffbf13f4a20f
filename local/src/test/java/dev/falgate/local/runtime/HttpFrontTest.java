package dev.falgate.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.local.Base64Bodies;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP front against the test template's EchoHandler, which answers with the event it got. */
class HttpFrontTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStackConfig.builder(TestPaths.testTemplate())
                .base64Bodies(Base64Bodies.RANDOM, 7).build());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(stack.apiUrl() + pathAndQuery));
    }

    private static JsonNode echo(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = send(request);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void buildsAPayload2EventWithRouteKeyQueryAndHeaders() {
        JsonNode echo = echo(request("/items?limit=5&tag=a&tag=b%20c&flag").header("X-Custom", "one")
                .header("Cookie", "a=1; b=2"));
        JsonNode event = echo.get("event");

        assertThat(event.get("version").asText()).isEqualTo("2.0");
        assertThat(event.get("routeKey").asText()).isEqualTo("GET /items");
        assertThat(event.get("rawPath").asText()).isEqualTo("/items");
        assertThat(event.get("rawQueryString").asText()).isEqualTo("limit=5&tag=a&tag=b%20c&flag");
        assertThat(event.get("queryStringParameters").get("tag").asText()).isEqualTo("a,b c");
        assertThat(event.get("queryStringParameters").get("flag").asText()).isEmpty();
        assertThat(event.get("cookies")).extracting(JsonNode::asText).containsExactly("a=1", "b=2");
        JsonNode headers = event.get("headers");
        assertThat(headers.get("x-custom").asText()).isEqualTo("one");
        assertThat(headers.has("cookie")).isFalse();
        assertThat(headers.get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(headers.get("x-forwarded-port").asInt()).isEqualTo(stack.apiUrl().getPort());
        assertThat(headers.get("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get("pathParameters").isNull()).isTrue();
        assertThat(event.get("body").isNull()).isTrue();
    }

    @Test
    void fillsTheRequestContextLikeApiGateway() {
        HttpResponse<byte[]> response = send(request("/items").header("User-Agent", "falgate-test"));
        JsonNode context = readJson(response).get("event").get("requestContext");

        assertThat(context.get("accountId").asText()).isEqualTo("000000000000");
        assertThat(context.get("stage").asText()).isEqualTo("$default");
        assertThat(context.get("routeKey").asText()).isEqualTo("GET /items");
        assertThat(context.get("domainName").asText()).isEqualTo("localhost:" + stack.apiUrl().getPort());
        assertThat(context.get("domainPrefix").asText()).isEqualTo("localhost");
        assertThat(context.get("requestId").asText())
                .isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(context.get("timeEpoch").asLong()).isPositive();
        assertThat(context.get("time").asText()).matches("\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000");
        JsonNode http = context.get("http");
        assertThat(http.get("method").asText()).isEqualTo("GET");
        assertThat(http.get("path").asText()).isEqualTo("/items");
        assertThat(http.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(http.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(http.get("userAgent").asText()).isEqualTo("falgate-test");
    }

    @Test
    void passesDecodedPathParametersAndPrefersTheExactRoute() {
        JsonNode byId = echo(request("/items/a%20b+c")).get("event");
        JsonNode special = echo(request("/items/special")).get("event");
        JsonNode greedy = echo(request("/files/x/y/z.txt").method("DELETE", HttpRequest.BodyPublishers.noBody()))
                .get("event");

        assertThat(byId.get("routeKey").asText()).isEqualTo("GET /items/{id}");
        assertThat(byId.get("pathParameters").get("id").asText()).isEqualTo("a b+c");
        assertThat(special.get("routeKey").asText()).isEqualTo("GET /items/special");
        assertThat(greedy.get("routeKey").asText()).isEqualTo("ANY /files/{path+}");
        assertThat(greedy.get("pathParameters").get("path").asText()).isEqualTo("x/y/z.txt");
    }

    @Test
    void answersUnknownRoutesAndMethodsWithApiGatewaysNotFound() {
        for (HttpRequest.Builder r : List.of(request("/nowhere"), request("/items/1/2"),
                request("/items").POST(HttpRequest.BodyPublishers.ofString("{}")))) {
            HttpResponse<byte[]> response = send(r);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }

    @Test
    void binaryBodiesReachTheHandlerBase64EncodedAndDecodeBack() {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        JsonNode event = echo(request("/echo/png").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))).get("event");

        assertThat(event.get("isBase64Encoded").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(event.get("body").asText())).isEqualTo(bytes);
        assertThat(event.get("pathParameters").get("name").asText()).isEqualTo("png");
    }

    @Test
    void refusesAnEventLargerThanLambdasPayloadLimitLikeApiGateway() {
        byte[] fiveMib = new byte[5 * 1024 * 1024]; // 6.7 MiB once base64-encoded
        HttpResponse<byte[]> response = send(request("/echo/big").header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(fiveMib)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"message\":\"Request Entity Too Large\"}");
    }

    @Test
    void textBodiesArriveEitherWayAndTheHandlerDecodesThemAll() {
        List<Boolean> encodings = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = "{\"n\":" + i + ",\"text\":\"héllo\"}";
            JsonNode echo = echo(request("/echo/json").header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(echo.get("decodedBody").asText()).isEqualTo(body);
            encodings.add(echo.get("event").get("isBase64Encoded").asBoolean());
        }
        assertThat(encodings).as("RANDOM mode, seed 7").contains(true, false);
    }

    @Test
    void writesTheHandlersResponseWithBinaryBodyCookiesAndMultiValueHeaders() {
        HttpResponse<byte[]> response = send(request("/binary"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff});
        assertThat(response.headers().firstValue("content-type")).contains("application/octet-stream");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("session=abc; Path=/", "theme=dark");
    }

    @Test
    void givesTheHandlerItsResolvedEnvironmentAndAContextWithTheFunctionTimeout() {
        JsonNode echo = echo(request("/items"));

        assertThat(echo.get("greeting").asText()).isEqualTo("hello, echo");
        assertThat(echo.get("functionName").asText()).isEqualTo("falgate-EchoFunction");
        assertThat(echo.get("remainingMillis").asInt()).isBetween(1, 10_000);
        assertThat(stack.environment("EchoFunction"))
                .containsEntry("ITEMS_TABLE", "falgate-ItemsTable")
                .containsEntry("WORK_QUEUE_URL", stack.queueUrl("WorkQueue"))
                .containsEntry("FALGATE_ENDPOINT_DYNAMODB", stack.endpoints().dynamoDb().toString())
                .containsEntry("FALGATE_S3_PATH_STYLE", "true")
                .containsEntry("AWS_ACCESS_KEY_ID", "falgatelocal")
                .containsKey("CURSOR_SECRET");
    }

    @Test
    void answersCorsPreflightFromTheHttpApisConfiguration() {
        HttpResponse<byte[]> allowed = send(request("/echo/x").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST"));
        HttpResponse<byte[]> other = send(request("/items").header("Origin", "http://evil.example"));

        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains("http://localhost:5173");
        assertThat(allowed.headers().firstValue("access-control-allow-methods")).contains("GET,POST");
        assertThat(allowed.headers().firstValue("access-control-max-age")).contains("60");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    private static JsonNode readJson(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
