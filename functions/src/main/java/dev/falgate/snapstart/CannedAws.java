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
    private volatile JsonNode lastItem;

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
        byte[] body = answer(request.httpRequest().method().name(), query, target, sent).getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                SdkHttpResponse response = SdkHttpResponse.builder().statusCode(200)
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

    /**
     * JSON protocols (DynamoDB, SQS) take an empty object, except that a GetItem returns the item
     * of the last PutItem (so a read-modify-write runs its whole path); S3's multipart calls need
     * their XML.
     */
    private String answer(String method, String query, String target, byte[] sent) {
        if (target.endsWith(".PutItem")) {
            lastItem = Json.parse(new String(sent, StandardCharsets.UTF_8)).path("Item");
        }
        if (target.endsWith(".GetItem") && lastItem != null) {
            return Json.write(Json.object().set("Item", lastItem));
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
