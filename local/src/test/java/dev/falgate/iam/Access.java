package dev.falgate.iam;

/**
 * One AWS operation a function performed, as IAM sees it: the action it needs on the resource's
 * ARN, and the SDK operation it came from ({@code GetObject (presigned)}, {@code HeadObject} ...).
 */
public record Access(String function, String action, String arn, String operation) {
    /** The ARN with an S3 key cut to its first segment ({@code bucket/outputs/*}): one line per prefix in the table. */
    public String arnPattern() {
        if (!arn.startsWith("arn:aws:s3:::") || arn.indexOf('/') < 0) {
            return arn;
        }
        int slash = arn.indexOf('/');
        int next = arn.indexOf('/', slash + 1);
        return next < 0 ? arn : arn.substring(0, next + 1) + "*";
    }
}
