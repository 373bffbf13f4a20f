package dev.falgate.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cold-start benchmark's second yardstick, for submit: a handler with no falgate code making
 * the kinds of calls submit's first request must make (the API key's GetItem, the input's
 * PutObject, the job's PutItem, fal's queue POST over the JDK HTTP client), each client built at
 * INIT the plain way. No SendMessage: a job sent with a webhook has no first-poll message. Submit's
 * floor: what two services and fal cost a cold start, where the yardstick makes one
 * DynamoDB call.
 */
public final class BareSubmitCallsHandler implements RequestHandler<Object, String> {
    private static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMDAAAAMAAFi5G4OAAAAAElFTkSuQmCC");
    private final Map<String, String> env;
    private final DynamoDbClient ddb;
    private final S3Client s3;
    private final HttpClient http = HttpClient.newHttpClient();

    public BareSubmitCallsHandler(Map<String, String> env) {
        this.env = env;
        SdkHttpClient urlConnection = UrlConnectionHttpClient.create();
        this.ddb = configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(urlConnection).build();
        this.s3 = configure(S3Client.builder(), "S3").httpClient(urlConnection).forcePathStyle(true).build();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        return builder.region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .endpointOverride(URI.create(env.get("FALGATE_ENDPOINT_" + service)))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))));
    }

    @Override
    public String handleRequest(Object event, Context context) {
        String table = env.get("JOBS_TABLE");
        ddb.getItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS("KEY#coldstart-bare"),
                "sk", AttributeValue.fromS("KEY"))));
        s3.putObject(r -> r.bucket(env.get("FILES_BUCKET")).key("uploads/coldstart-bare/input.png").contentType("image/png"),
                RequestBody.fromBytes(PNG));
        ddb.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS("JOB#coldstart-bare"),
                "sk", AttributeValue.fromS("JOB"), "status", AttributeValue.fromS("queued"))));
        int fal;
        try {
            fal = http.send(HttpRequest.newBuilder(URI.create(env.get("FAL_QUEUE_BASE_URL") + "/fal-ai/post-processing/sharpen"))
                    .header("Authorization", "Key " + env.get("FAL_KEY")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"image_url\":\"https://example.com/in.png\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return "fal " + fal;
    }
}
