package dev.falgate.config;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the SDK clients from {@link Settings}: endpoint overrides (LocalStack, the embedded
 * stack) and static credentials when the environment names them, AWS defaults otherwise.
 */
public final class AwsClients {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    /**
     * DynamoDB, SQS and Secrets Manager answer in milliseconds: an attempt that takes seconds is
     * a dead connection, and the whole call (standard mode: 3 attempts with backoff) must end well
     * inside a 30 s API request, instead of the legacy DynamoDB policy's 9 attempts.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** S3 carries parts of up to tens of MiB (output copies, uploads): more time per attempt. */
    static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(180);
    static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

    private final Settings settings;
    /** One provider for every client and the presigned GETs: credentials are resolved and refreshed once, not per client. */
    private final Lazy<AwsCredentialsProvider> credentials = Lazy.of(this::newCredentialsProvider);

    public AwsClients(Settings settings) {
        this.settings = settings;
    }

    public DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(HTTP).build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder(), "SQS").httpClient(HTTP).build();
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder(), "SECRETSMANAGER").httpClient(HTTP).build();
    }

    public S3Client s3() {
        return configure(S3Client.builder(), "S3").httpClient(HTTP)
                .overrideConfiguration(overrides(S3_CALL_TIMEOUT, S3_ATTEMPT_TIMEOUT).build())
                .serviceConfiguration(s3Configuration()).build();
    }

    /** Presigns with the public S3 endpoint (the one browsers and fal can reach). */
    public S3Presigner presigner() {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(region())
                .credentialsProvider(credentials.get())
                .serviceConfiguration(s3Configuration());
        presignEndpoint().ifPresent(b::endpointOverride);
        return b.build();
    }

    /** The region every client and the presigner use. */
    public String regionId() {
        return region().id();
    }

    /** The credentials provider every client is built with (the same one each call). */
    public AwsCredentialsProvider credentialsProvider() {
        return credentials.get();
    }

    /** Where presigned URLs point: the public S3 endpoint, else the S3 endpoint override; empty: AWS's own. */
    public java.util.Optional<java.net.URI> presignEndpoint() {
        return settings.optional("FALGATE_PUBLIC_S3_ENDPOINT").map(java.net.URI::create).or(() -> settings.endpoint("S3"));
    }

    private S3Configuration s3Configuration() {
        return S3Configuration.builder().pathStyleAccessEnabled(settings.s3PathStyle()).build();
    }

    /**
     * Timeouts and the standard retry mode every client gets. One {@link ClientOverrideConfiguration}
     * per client (a second {@code overrideConfiguration} call replaces the first): add interceptors here.
     */
    static ClientOverrideConfiguration.Builder overrides(Duration call, Duration attempt) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(call).apiCallAttemptTimeout(attempt)
                .retryStrategy(RetryMode.STANDARD);
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(region()).credentialsProvider(credentials.get())
                .overrideConfiguration(overrides(CALL_TIMEOUT, ATTEMPT_TIMEOUT).build());
        settings.endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private Region region() {
        return Region.of(settings.optional("AWS_REGION").orElse("us-east-1"));
    }

    private AwsCredentialsProvider newCredentialsProvider() {
        Optional<String> id = settings.optional("AWS_ACCESS_KEY_ID");
        Optional<String> secret = settings.optional("AWS_SECRET_ACCESS_KEY");
        if (id.isPresent() && secret.isPresent() && settings.optional("AWS_SESSION_TOKEN").isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(id.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
