package dev.falgate.local.template;

import java.util.Map;
import java.util.Optional;

/**
 * An {@code AWS::SQS::Queue}: its name and the SQS attributes (CreateQueue names) its properties
 * set. {@code deadLetterQueue} is the logical id its RedrivePolicy targets, if any.
 */
public record QueueDef(String logicalId, String queueName, String arn, Map<String, String> attributes,
        Optional<String> deadLetterQueue) {

    public QueueDef {
        attributes = Map.copyOf(attributes);
    }
}
