package dev.falgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Every SDK client ends a call in bounded time: call and attempt timeouts, standard retry mode. */
class AwsClientsTest {
    private static AwsClients clients(int port) {
        String endpoint = "http://127.0.0.1:" + port;
        return new AwsClients(new Settings(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "FALGATE_ENDPOINT_DYNAMODB", endpoint, "FALGATE_ENDPOINT_S3", endpoint)));
    }

    @Test
    void clientsCarryCallAndAttemptTimeoutsAndTheStandardRetryMode() {
        try (DynamoDbClient ddb = clients(9).dynamoDb(); S3Client s3 = clients(9).s3()) {
            ClientOverrideConfiguration dynamo = ddb.serviceClientConfiguration().overrideConfiguration();
            assertThat(dynamo.apiCallTimeout()).contains(AwsClients.CALL_TIMEOUT);
            assertThat(dynamo.apiCallAttemptTimeout()).contains(AwsClients.ATTEMPT_TIMEOUT);
            assertThat(dynamo.retryStrategy()).get().isInstanceOf(StandardRetryStrategy.class)
                    .extracting(r -> r.maxAttempts()).isEqualTo(3);
            ClientOverrideConfiguration files = s3.serviceClientConfiguration().overrideConfiguration();
            assertThat(files.apiCallTimeout()).contains(AwsClients.S3_CALL_TIMEOUT);
            assertThat(files.apiCallAttemptTimeout()).contains(AwsClients.S3_ATTEMPT_TIMEOUT);
            assertThat(files.retryStrategy()).get().isInstanceOf(StandardRetryStrategy.class);
        }
    }

    @Test
    void aDynamoDbThatNeverAnswersCostsAtMostTheCallTimeoutNotNineAttempts() throws Exception {
        // accepts connections (the backlog) and never answers: each attempt waits for its timeout
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                DynamoDbClient ddb = clients(silent.getLocalPort()).dynamoDb()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> ddb.getItem(r -> r.tableName("t").key(Map.of())))
                    .isInstanceOf(SdkClientException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(AwsClients.ATTEMPT_TIMEOUT)
                    .isLessThan(AwsClients.CALL_TIMEOUT.plusSeconds(2));
        }
    }
}
