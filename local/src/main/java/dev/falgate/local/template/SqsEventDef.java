package dev.falgate.local.template;

/** An {@code SQS} event of a function: the event source mapping to emulate. */
public record SqsEventDef(String functionLogicalId, String eventName, String queueLogicalId, String queueArn,
        int batchSize, boolean reportBatchItemFailures) {
}
