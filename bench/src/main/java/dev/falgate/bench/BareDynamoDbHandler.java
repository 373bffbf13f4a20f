package dev.falgate.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The cold-start benchmark's yardstick: a handler that builds one SDK v2 DynamoDB client and makes one GetItem. */
public final class BareDynamoDbHandler implements RequestHandler<Object, String> {
    private final DynamoDbClient ddb;
    private final String table;

    public BareDynamoDbHandler(Map<String, String> env) {
        this.table = env.get("JOBS_TABLE");
        this.ddb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.getOrDefault("AWS_REGION", "us-east-1")))
                .endpointOverride(URI.create(env.get("FALGATE_ENDPOINT_DYNAMODB")))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                .build();
    }

    @Override
    public String handleRequest(Object event, Context context) {
        return ddb.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("JOB#coldstart"), "sk", AttributeValue.fromS("JOB"))).build())
                .hasItem() ? "found" : "not found";
    }
}
