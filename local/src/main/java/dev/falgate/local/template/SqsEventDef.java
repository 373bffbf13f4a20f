package dev.falgate.local.template;

/**
 * An {@code SQS} event of a function: the event source mapping to emulate.
 *
 * @param maximumConcurrency the event's {@code ScalingConfig.MaximumConcurrency}: how many batches
 *                           may run at once (1 when the template sets none)
 */
public record SqsEventDef(String functionLogicalId, String eventName, String queueLogicalId, String queueArn,
        int batchSize, boolean reportBatchItemFailures, int maximumConcurrency) {

    public SqsEventDef(String functionLogicalId, String eventName, String queueLogicalId, String queueArn,
            int batchSize, boolean reportBatchItemFailures) {
        this(functionLogicalId, eventName, queueLogicalId, queueArn, batchSize, reportBatchItemFailures, 1);
    }
}
