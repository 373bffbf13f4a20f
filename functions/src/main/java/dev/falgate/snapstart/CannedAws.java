package dev.falgate.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SDK clients whose HTTP layer answers in memory: priming runs the SDK's full marshalling,
 * signing and unmarshalling path of write operations without sending anything anywhere. They
 * sign with a made-up key, so no real credential is touched. Records each request it answers.
 */
public final class CannedAws implements SdkHttpClient {
    private static final String ENDPOINT = "https://primer.invalid";
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final java.util.Map<String, JsonNode> items = new java.util.concurrent.ConcurrentHashMap<>();

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder()).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder()).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder()).forcePathStyle(true).build();
    }

    /** Presigns locally (as the real one does) with the made-up key. */
    public S3Presigner presigner() {
        return S3Presigner.builder().region(Region.US_EAST_1).endpointOverride(java.net.URI.create(ENDPOINT))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("primer", "primer")))
                .build();
    }

    /** "METHOD host/path?query" of every request answered, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        return builder.region(Region.US_EAST_1).endpointOverride(java.net.URI.create(ENDPOINT))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("primer", "primer")))
                .httpClient(this);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        String path = request.httpRequest().encodedPath();
        String query = request.httpRequest().encodedQueryParameters().orElse("");
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        requests.add(request.httpRequest().method() + " " + path + (query.isEmpty() ? "" : "?" + query)
                + (target.isEmpty() ? "" : " " + target));
        byte[] sent = request.contentStreamProvider().map(body -> readAll(body.newStream())).orElse(new byte[0]);
        String answer = answer(request.httpRequest().method().name(), query, target, sent);
        int status = answer.contains(CONDITIONAL_CHECK_FAILED) ? 400 : 200;
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status)
                        .putHeader("ETag", "\"primer\"").putHeader("x-amz-request-id", "primer")
                        .putHeader("Content-Length", Integer.toString(body.length)).build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailedException";

    /**
     * JSON protocols (DynamoDB, SQS): a tiny item store (PutItem keeps, GetItem returns, UpdateItem
     * returns the stored item unchanged or, for none, DynamoDB's conditional refusal; every API
     * key exists, so a shadow request passes authentication), an SQS answer with the body's MD5,
     * {@code {}} otherwise; S3's multipart calls need their XML, other S3 calls an empty 200.
     */
    private String answer(String method, String query, String target, byte[] sent) {
        if (target.endsWith(".PutItem")) {
            JsonNode item = Json.parse(new String(sent, StandardCharsets.UTF_8)).path("Item");
            items.put(itemKey(item), item);
        }
        if (target.endsWith(".GetItem")) {
            JsonNode key = Json.parse(new String(sent, StandardCharsets.UTF_8)).path("Key");
            JsonNode item = key.path("pk").path("S").asText().startsWith("KEY#")
                    ? ((com.fasterxml.jackson.databind.node.ObjectNode) key.deepCopy()).set("tenant", Json.object().put("S", "primer"))
                    : items.get(itemKey(key));
            return item == null ? "{}" : Json.write(Json.object().set("Item", item));
        }
        if (target.endsWith(".UpdateItem")) { // every update is conditional on the item existing, as the jobs' are
            JsonNode item = items.get(itemKey(Json.parse(new String(sent, StandardCharsets.UTF_8)).path("Key")));
            return item == null ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + CONDITIONAL_CHECK_FAILED
                    + "\",\"message\":\"The conditional request failed\"}" : Json.write(Json.object().set("Attributes", item));
        }
        if (target.endsWith(".SendMessage")) { // the SDK checks the body's MD5
            String sentBody = Json.parse(new String(sent, StandardCharsets.UTF_8)).path("MessageBody").asText();
            return Json.write(Json.object().put("MessageId", "primer").put("MD5OfMessageBody", md5Hex(sentBody)));
        }
        if (!target.isEmpty()) {
            return "{}";
        }
        if ("POST".equals(method) && query.startsWith("uploads")) {
            return "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>primer</UploadId>"
                    + "</InitiateMultipartUploadResult>";
        }
        if ("POST".equals(method) && query.contains("uploadId")) {
            return "<CompleteMultipartUploadResult><ETag>\"primer\"</ETag></CompleteMultipartUploadResult>";
        }
        return "";
    }

    private static String itemKey(JsonNode item) {
        return item.path("pk").path("S").asText() + "|" + item.path("sk").path("S").asText();
    }

    /**
     * The same answers over loopback HTTP, for a whole handler graph built from an environment
     * whose AWS endpoints point here (the real HTTP client's path too). Close it after use.
     */
    public Loopback serve() throws java.io.IOException {
        return new Loopback(this);
    }

    /** A loopback server answering as {@link CannedAws} does. */
    public static final class Loopback implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;

        Loopback(CannedAws aws) throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                byte[] sent = exchange.getRequestBody().readAllBytes();
                String target = java.util.Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
                String query = java.util.Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse("");
                aws.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                        + (query.isEmpty() ? "" : "?" + query) + (target.isEmpty() ? "" : " " + target));
                byte[] body = aws.answer(exchange.getRequestMethod(), query, target, sent).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("ETag", "\"primer\"");
                exchange.getResponseHeaders().add("Content-Type", target.isEmpty() ? "application/xml" : "application/x-amz-json-1.0");
                exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        public String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String md5Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String clientName() {
        return "primer";
    }

    @Override
    public void close() {
    }
}
