package dev.falgate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Json}'s trees, read and written on jackson-core without an ObjectMapper, come out exactly as
 * a default ObjectMapper's {@code readTree} and {@code writeValueAsString} make them.
 */
class JsonTreesTest {
    private static final ObjectMapper REFERENCE = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "[1, -0, 2147483647, 2147483648, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890]",
        "[0.5, -0.0, 1e3, 1E-7, 3.141592653589793, 1.7976931348623157e308, 1e400, 12345678901234567890.5]",
        "{\"s\":\"\\u00e9\\u2028 \\\"q\\\" \\\\ \\n\\t\\u0001 \u00fc \ud83d\ude00\"}",
        "{\"dup\":1,\"dup\":2,\"other\":[{},[]]}",
        "\"just text\"", "42", "null", "true",
        "{\"a\":1} trailing content is ignored",
        "  [ ]  ",
    })
    void readsAndWritesLikeTheMapper(String text) throws IOException {
        JsonNode mine = Json.readTree(text);
        JsonNode theirs = REFERENCE.readTree(text);
        assertThat(mine).isEqualTo(theirs);
        assertThat(mine.getClass()).isEqualTo(theirs.getClass());
        assertThat(Json.write(mine)).isEqualTo(REFERENCE.writeValueAsString(theirs));
        assertThat(Json.readTree(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(REFERENCE.readTree(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void numberNodeTypesAreTheMappersOnesInsideContainersToo() throws IOException {
        String text = "{\"i\":1,\"l\":3000000000,\"b\":99999999999999999999,\"d\":1.5}";
        JsonNode mine = Json.readTree(text);
        JsonNode theirs = REFERENCE.readTree(text);
        for (String field : List.of("i", "l", "b", "d")) {
            assertThat(mine.get(field).getClass()).as(field).isEqualTo(theirs.get(field).getClass());
        }
    }

    @Test
    void anEmptyTextIsAMissingNodeAsForTheMapper() throws IOException {
        assertThat(Json.readTree("")).isEqualTo(REFERENCE.readTree(""));
        assertThat(Json.readTree("   ").isMissingNode()).isTrue();
    }

    @Test
    void invalidJsonFailsWithTheParsersException() {
        assertThatThrownBy(() -> Json.readTree("{\"a\":")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.readTree("{'a':1}")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> Json.parse("[1,")).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void writesBuiltTreesAndListsOfTreesLikeTheMapper() throws JsonProcessingException {
        ObjectNode built = Json.object().put("text", "x").put("int", 3).put("long", 5_000_000_000L)
                .put("double", 0.1).put("float", 1.5f).put("decimal", new BigDecimal("1.10"))
                .put("short", (short) 7).put("nothing", (String) null).put("bool", true);
        built.putArray("list").add(1).addNull().addObject().put("k", "v");
        assertThat(Json.write(built)).isEqualTo(REFERENCE.writeValueAsString(built));
        List<JsonNode> list = List.of(Json.object().put("a", 1), Json.array().add("b"));
        assertThat(Json.write(list)).isEqualTo(REFERENCE.writeValueAsString(list));
        assertThat(Json.write(List.of())).isEqualTo("[]");
    }

    @Test
    void whatIsNotAPlainTreeGoesToTheMapper() throws JsonProcessingException {
        ObjectNode withPojo = Json.object().putPOJO("map", Map.of("k", 1));
        withPojo.put("bytes", new byte[] {1, 2, 3});
        assertThat(Json.write(withPojo)).isEqualTo(REFERENCE.writeValueAsString(withPojo));
        record Pair(String name, int count) { }
        assertThat(Json.write(new Pair("n", 2))).isEqualTo("{\"name\":\"n\",\"count\":2}");
        assertThat(Json.write(Map.of("k", "v"))).isEqualTo("{\"k\":\"v\"}");
    }
}
