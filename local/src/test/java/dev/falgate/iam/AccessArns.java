package dev.falgate.iam;

import dev.falgate.local.template.StackContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;

/**
 * The IAM actions and resource ARNs an SDK request needs (the Service Authorization Reference),
 * in the local stack's region and account: the names the template's policies resolve to there.
 * An operation not listed here needs the action of its own name on its resource.
 */
final class AccessArns {
    private static final String REGION = StackContext.LOCAL_REGION;
    private static final String ACCOUNT = StackContext.LOCAL_ACCOUNT;
    /** Secrets Manager appends six random characters to a secret's name in its ARN. */
    static final String SECRET_SUFFIX = "-AbCdEf";

    private static final Map<String, String> S3_ACTIONS = Map.of(
            "HeadObject", "GetObject",
            "ListObjectsV2", "ListBucket",
            "ListObjects", "ListBucket",
            "DeleteObjects", "DeleteObject",
            "CreateMultipartUpload", "PutObject",
            "UploadPart", "PutObject",
            "CompleteMultipartUpload", "PutObject",
            "ListMultipartUploads", "ListBucketMultipartUploads",
            "ListParts", "ListMultipartUploadParts");

    /** A named action on a resource ARN. */
    record Need(String action, String arn) {
    }

    private AccessArns() {
    }

    static List<Need> of(String service, String operation, SdkRequest request) {
        // the SDK names services in different cases (DynamoDb; S3, but s3 when presigning)
        return switch (service.toLowerCase(Locale.ROOT)) {
            case "dynamodb" -> dynamoDb(operation, request);
            case "s3" -> s3(operation, request);
            case "sqs" -> List.of(new Need("sqs:" + (operation.equals("SendMessageBatch") ? "SendMessage" : operation),
                    queueArn(field(request, "QueueUrl"))));
            case "secretsmanager" -> List.of(secret(field(request, "SecretId")));
            default -> List.of(new Need(service.toLowerCase(Locale.ROOT) + ":" + operation, "unknown:" + service));
        };
    }

    static Need secret(String secretId) {
        String arn = secretId.startsWith("arn:") ? secretId
                : "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + secretId + SECRET_SUFFIX;
        return new Need("secretsmanager:GetSecretValue", arn);
    }

    private static List<Need> dynamoDb(String operation, SdkRequest request) {
        List<Need> needs = new ArrayList<>();
        if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem item : t.transactItems()) {
                if (item.put() != null) needs.add(table("PutItem", item.put().tableName()));
                if (item.update() != null) needs.add(table("UpdateItem", item.update().tableName()));
                if (item.delete() != null) needs.add(table("DeleteItem", item.delete().tableName()));
                if (item.conditionCheck() != null) needs.add(table("ConditionCheckItem", item.conditionCheck().tableName()));
            }
        } else if (request instanceof TransactGetItemsRequest t) {
            t.transactItems().forEach(i -> needs.add(table("GetItem", i.get().tableName())));
        } else if (request instanceof BatchGetItemRequest b) {
            b.requestItems().keySet().forEach(name -> needs.add(table(operation, name)));
        } else if (request instanceof BatchWriteItemRequest b) {
            b.requestItems().keySet().forEach(name -> needs.add(table(operation, name)));
        } else {
            Need onTable = table(operation, field(request, "TableName"));
            String index = request.getValueForField("IndexName", String.class).orElse(null);
            needs.add(index == null ? onTable : new Need(onTable.action(), onTable.arn() + "/index/" + index));
        }
        return needs;
    }

    private static Need table(String operation, String name) {
        return new Need("dynamodb:" + operation, "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name);
    }

    private static List<Need> s3(String operation, SdkRequest request) {
        String action = "s3:" + S3_ACTIONS.getOrDefault(operation, operation);
        String bucket = "arn:aws:s3:::" + field(request, "Bucket");
        if (request instanceof DeleteObjectsRequest d) {
            return d.delete().objects().stream().map(o -> new Need(action, bucket + "/" + o.key())).toList();
        }
        if (operation.equals("HeadObject")) {
            // without s3:ListBucket, S3 answers a missing object 403 instead of the 404 BlobStore.size relies on
            return List.of(new Need(action, bucket + "/" + field(request, "Key")), new Need("s3:ListBucket", bucket));
        }
        // bucket-level operations (ListBucket ...) have no key; a prefix would be a condition, not the resource
        return List.of(new Need(action, request.getValueForField("Key", String.class).map(k -> bucket + "/" + k).orElse(bucket)));
    }

    /** {@code http://127.0.0.1:port/000000000000/falgate-PollQueue} → {@code arn:aws:sqs:...:falgate-PollQueue}. */
    private static String queueArn(String url) {
        String path = URI.create(url).getPath();
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + path.substring(path.lastIndexOf('/') + 1);
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class)
                .orElseThrow(() -> new IllegalStateException(request.getClass().getSimpleName() + " has no " + name));
    }
}
