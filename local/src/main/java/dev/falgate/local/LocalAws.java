package dev.falgate.local;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The fixed local identity (ARCHITECTURE.md): region, account and the static credentials every
 * emulator accepts; and SDK clients pointed at an emulator with them.
 */
public final class LocalAws {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    /**
     * ARCHITECTURE.md says {@code falgate-local}, but DynamoDB Local 2.x rejects access key ids that
     * are not purely letters and digits ("The Access Key ID or security token is invalid").
     */
    public static final String ACCESS_KEY_ID = "falgatelocal";
    public static final String SECRET_ACCESS_KEY = "falgate-local-secret";

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();

    private LocalAws() {
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return configure(DynamoDbClient.builder(), endpoint).httpClient(HTTP).build();
    }

    public static SqsClient sqs(URI endpoint) {
        return configure(SqsClient.builder(), endpoint).httpClient(HTTP).build();
    }

    /**
     * For the event sources' receives: no SDK retry, as the poller loop is the retry. A retried
     * receive of a stopped stack could otherwise reach the next stack on the same port and hide
     * one of its messages for a visibility timeout.
     */
    public static SqsClient sqsPoller(URI endpoint) {
        return configure(SqsClient.builder(), endpoint).httpClient(HTTP)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    public static S3Client s3(URI endpoint) {
        return configure(S3Client.builder(), endpoint).httpClient(HTTP).forcePathStyle(true).build();
    }

    private static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.region(Region.of(REGION)).endpointOverride(endpoint).credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)));
    }

    /** The environment prefix for an AWS CLI command against an emulator. */
    public static String cliPrefix(URI endpoint) {
        return "AWS_ACCESS_KEY_ID=" + ACCESS_KEY_ID + " AWS_SECRET_ACCESS_KEY=" + SECRET_ACCESS_KEY
                + " aws --region " + REGION + " --endpoint-url " + endpoint;
    }
}
