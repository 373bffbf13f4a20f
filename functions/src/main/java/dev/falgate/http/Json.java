package dev.falgate.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * JSON for the functions: trees ({@link JsonNode}) parsed and written on jackson-core's streaming
 * API, and the one {@link ObjectMapper} for data binding, built on first use. A cold start whose
 * first request only reads and writes trees (most of them) never builds the mapper: its
 * construction loads about 250 classes, the largest single cost of INIT beyond one SDK client.
 * Trees come out as {@code ObjectMapper.readTree}/{@code writeValueAsString} with default
 * settings make them ({@code JsonTreesTest} compares the two).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Holder: the mapper is built when {@link #mapper()} is first called. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);
    }

    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** The one ObjectMapper, for data binding (records, maps) and what trees alone cannot do. */
    public static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static JsonNode parse(String text) {
        try {
            return readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@code ObjectMapper.readTree}: the first value (trailing content ignored), a missing node when there is none. */
    public static JsonNode readTree(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            return readRoot(p);
        }
    }

    /** As {@code ObjectMapper.readTree(byte[])} (the encoding detected the same way). */
    public static JsonNode readTree(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readRoot(p);
        }
    }

    private static JsonNode readRoot(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        return first == null ? NODES.missingNode() : read(p, first);
    }

    public static String write(Object value) {
        try {
            if (value instanceof java.util.Collection<?> items && items.stream().allMatch(JsonNode.class::isInstance)) {
                ArrayNode array = array(); // a list of trees: written as the mapper writes it, an array
                items.forEach(item -> array.add((JsonNode) item));
                value = array;
            }
            if (value instanceof JsonNode node && isPlainTree(node)) {
                StringWriter out = new StringWriter();
                try (JsonGenerator g = FACTORY.createGenerator(out)) {
                    write(g, node);
                }
                return out.toString();
            }
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                    String name = p.currentName();
                    o.replace(name, read(p, p.nextToken())); // a repeated key: the last wins, as readTree's default
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    a.add(read(p, t));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "unexpected token " + token);
        }
    }

    /** Only the node types {@link #write(JsonGenerator, JsonNode)} writes; anything else (POJO, binary) goes to the mapper. */
    private static boolean isPlainTree(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
            case ARRAY:
                for (JsonNode child : node) {
                    if (!isPlainTree(child)) {
                        return false;
                    }
                }
                return true;
            case POJO:
            case BINARY:
                return false;
            default:
                return true;
        }
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (var field : n.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
                break;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode item : n) {
                    write(g, item);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(n.textValue());
                break;
            case NUMBER:
                writeNumber(g, n);
                break;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                break;
            default: // NULL, MISSING
                g.writeNull();
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            default -> g.writeNumber(n.decimalValue());
        }
    }

    public static String time(Instant instant) {
        return instant == null ? null : RFC3339_MILLIS.format(instant);
    }
}
