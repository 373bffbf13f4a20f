package dev.falgate.local.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps {@code AWS::SQS::Queue} properties to CreateQueue attributes. Properties without a local
 * meaning (encryption, tags) are left out; the emulator does not need them.
 */
final class QueueAttributes {
    private static final List<String> PLAIN = List.of("VisibilityTimeout", "MessageRetentionPeriod",
            "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds", "FifoQueue",
            "ContentBasedDeduplication");
    private static final List<String> JSON = List.of("RedrivePolicy", "RedriveAllowPolicy");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QueueAttributes() {
    }

    static Map<String, String> fromProperties(Map<String, Object> resolvedProperties) {
        Map<String, String> attributes = new LinkedHashMap<>();
        PLAIN.stream().filter(resolvedProperties::containsKey)
                .forEach(p -> attributes.put(p, String.valueOf(resolvedProperties.get(p))));
        JSON.stream().filter(resolvedProperties::containsKey)
                .forEach(p -> attributes.put(p, json(resolvedProperties.get(p))));
        return attributes;
    }

    static Optional<String> deadLetterArn(Map<String, Object> resolvedProperties) {
        Object policy = resolvedProperties.get("RedrivePolicy");
        Map<?, ?> fields = policy instanceof String json ? parse(json) : Yamls.map(policy);
        return Optional.ofNullable(fields.get("deadLetterTargetArn")).map(String::valueOf);
    }

    private static Map<?, ?> parse(String json) {
        try {
            return MAPPER.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new TemplateException("RedrivePolicy is not JSON: " + json, e);
        }
    }

    private static String json(Object value) {
        if (value instanceof String s) {
            return s; // already a JSON document, as CloudFormation also accepts
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new TemplateException("cannot write " + value + " as JSON", e);
        }
    }
}
