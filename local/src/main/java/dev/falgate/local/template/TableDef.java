package dev.falgate.local.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@code AWS::DynamoDB::Table} as declared: keys, attribute types, GSIs, billing, TTL. */
public record TableDef(String logicalId, String tableName, List<KeyElement> keySchema,
        Map<String, String> attributeTypes, List<IndexDef> globalIndexes, String billingMode, String ttlAttribute) {

    public TableDef {
        keySchema = List.copyOf(keySchema);
        attributeTypes = Map.copyOf(attributeTypes);
        globalIndexes = List.copyOf(globalIndexes);
    }

    /** {@code HASH} or {@code RANGE} element of a key schema. */
    public record KeyElement(String attributeName, String keyType) {
    }

    public record IndexDef(String indexName, List<KeyElement> keySchema, String projectionType,
            List<String> nonKeyAttributes) {
        public IndexDef {
            keySchema = List.copyOf(keySchema);
            nonKeyAttributes = List.copyOf(nonKeyAttributes);
        }
    }

    public Optional<IndexDef> index(String name) {
        return globalIndexes.stream().filter(i -> i.indexName().equals(name)).findFirst();
    }
}
