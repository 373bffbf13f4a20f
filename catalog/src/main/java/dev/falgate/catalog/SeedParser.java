package dev.falgate.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the seed pages (fal.ai API pages saved as text) into {@link ModelSpec}s holding what the
 * pages state: id, page title, "About" text, input fields, example input and output fields.
 * What the pages do not state (category, which fields are files, corrections) is added by
 * {@link CatalogOverrides}; the specs returned here have no category and no file inputs.
 *
 * <p>The pages come in three {@link Layout}s. Each is read with the same field grammar: a field
 * line {@code name type[* required][description]}, then continuation lines of description
 * (ending in {@code Default value: X}) and an optional {@code Possible enum values: a, b} line.
 */
public final class SeedParser {

    /** How a page lays out one schema field. */
    enum Layout {
        /** Pages 000/001: name, type and "* required" + description on lines of their own. */
        SPLIT_LINES(FIELD_ALONE),
        /** Pages 002/003 (ten models each): "name type" on one line, description below. */
        BLOCKS(FIELD_ALONE),
        /** Page 004: "name type* requiredDescription" glued together on one line. */
        ONE_LINE(FIELD_GLUED);

        private final Pattern fieldLine;

        Layout(Pattern fieldLine) {
            this.fieldLine = fieldLine;
        }

        /** Multi-model pages use BLOCKS; a single-model page is SPLIT_LINES if it starts with a bare name. */
        static Layout of(boolean multiModelPage, List<String> inputLines) {
            if (multiModelPage) {
                return BLOCKS;
            }
            boolean bareName = !inputLines.isEmpty() && IDENTIFIER.matcher(inputLines.get(0)).matches();
            return bareName ? SPLIT_LINES : ONE_LINE;
        }
    }

    private static final String NAME = "([A-Za-z_]\\w*)";
    /** Seed types a description can be glued to: they end in a fixed way ("Enum", ">", ...). */
    private static final String GLUABLE_TYPE =
            "list<\\w+>|string|integer|float|boolean|(?:[A-Z][A-Za-z0-9]*?)?Enum|File|Image";
    /** Any seed type, including named object types (Timings, RGBColor...) on a line of their own. */
    private static final String TYPE = "(" + GLUABLE_TYPE + "|[A-Z]\\w*)";
    /** Page 004 separates name and type with a no-break space and a space. */
    private static final String SEPARATOR = "[ \\u00A0]+";
    private static final Pattern FIELD_ALONE = Pattern.compile(NAME + SEPARATOR + TYPE + "(\\s*)");
    /** Lowercase names only, so a capitalised description line ("Generated GLB.") is no field. */
    private static final Pattern FIELD_GLUED =
            Pattern.compile("([a-z_]\\w*)" + SEPARATOR + "(" + GLUABLE_TYPE + ")(.*)");
    private static final Pattern IDENTIFIER = Pattern.compile(NAME);
    private static final Pattern BARE_TYPE = Pattern.compile(TYPE);
    private static final Pattern LIST_TYPE = Pattern.compile("list<(\\w+)>");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Set<String> PRIMITIVES = Set.of("string", "integer", "float", "boolean");
    private static final String ENUM_PREFIX = "Possible enum values:";

    private static final Pattern MODEL_HEADER = Pattern.compile("(?m)^model\\s+\\d+\\s+--\\s+(\\S+)\\s*$");
    private static final Pattern CLIENT_CALL = Pattern.compile("fal\\.(?:subscribe|queue\\.\\w+)\\(\"([^\"]+)\"");
    private static final Pattern ABOUT = Pattern.compile("(?m)^About#?\\s*$\\s+^(.+?)\\s*$");
    private static final Pattern SCHEMA = Pattern.compile("(?m)^5\\. Schema#?\\s*$");
    private static final Pattern INPUT = Pattern.compile("(?m)^Input#?\\s*$");
    /** Page 004 glues the heading to the example's closing brace: "}Output#". */
    private static final Pattern OUTPUT = Pattern.compile("Output#?\\s*$", Pattern.MULTILINE);
    private static final Pattern JSON_OBJECT = Pattern.compile("(?m)^\\{");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SeedParser() {
    }

    /** Every model of every {@code *.txt} page in {@code dir}, in file-name order. */
    public static List<ModelSpec> parseDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".txt"))
                    .sorted()
                    .flatMap(f -> parse(read(f)).stream())
                    .toList();
        }
    }

    /** The models of one page: one, or several under "model N -- id" headers. */
    public static List<ModelSpec> parse(String page) {
        List<MatchResult> headers = MODEL_HEADER.matcher(page).results().toList();
        if (headers.isEmpty()) {
            return List.of(parseModel(null, page));
        }
        List<ModelSpec> models = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            int end = i + 1 < headers.size() ? headers.get(i + 1).start() : page.length();
            models.add(parseModel(headers.get(i).group(1), page.substring(headers.get(i).end(), end)));
        }
        return models;
    }

    /** @param headerId the id from the "model N -- id" header, or null for a single-model page */
    private static ModelSpec parseModel(String headerId, String text) {
        String id = modelId(headerId, text);
        Cursor page = new Cursor(id, text);
        page.skipPast(SCHEMA, "the '5. Schema' heading");
        page.skipPast(INPUT, "the 'Input' heading");
        List<String> inputLines = lines(page.upTo(JSON_OBJECT, "the example input"));
        ObjectNode example = page.readJsonObject();
        page.skipPast(OUTPUT, "the 'Output' heading");
        List<String> outputLines = lines(page.upTo(JSON_OBJECT, "the example output"));
        ObjectNode outputExample = page.readJsonObject();

        Layout layout = Layout.of(headerId != null, inputLines);
        List<FieldSpec> inputs = parseFields(inputLines, layout).stream().map(f -> toInput(f, id)).toList();
        List<OutputField> outputs = toOutputs(parseFields(outputLines, layout), outputExample, id);
        return new ModelSpec(id, pageTitle(headerId, text, id), null, about(text), inputs, outputs, example);
    }

    /** The id the page's own client snippets call; it must agree with the header, if any. */
    private static String modelId(String headerId, String text) {
        Matcher call = CLIENT_CALL.matcher(text);
        String calledId = call.find() ? call.group(1) : headerId;
        if (calledId == null || headerId != null && !headerId.equals(calledId)) {
            throw new IllegalStateException("page of " + headerId + " calls model " + calledId);
        }
        return calledId;
    }

    /** Single-model pages start with a title line (page 004 starts with the id instead). */
    private static String pageTitle(String headerId, String text, String id) {
        String first = text.strip().lines().findFirst().orElse("").strip();
        return headerId == null && !first.equals(id) ? first : null;
    }

    private static String about(String text) {
        Matcher about = ABOUT.matcher(text);
        return about.find() ? about.group(1) : null;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("#")).toList();
    }

    private static List<RawField> parseFields(List<String> lines, Layout layout) {
        List<String> fieldLines = layout == Layout.SPLIT_LINES ? joinNameAndType(lines) : lines;
        List<RawField> fields = new ArrayList<>();
        RawField current = null;
        for (String line : fieldLines) {
            Matcher field = layout.fieldLine.matcher(line);
            if (field.matches()) {
                current = new RawField(field.group(1), field.group(2));
                current.addText(field.group(3));
                fields.add(current);
            } else if (line.startsWith(ENUM_PREFIX) && current != null) {
                current.enumValues = Arrays.stream(line.substring(ENUM_PREFIX.length()).split(","))
                        .map(String::strip).toList();
            } else if (current == null) {
                fields.add(RawField.unnamed(line)); // described, but the page lost its name
            } else {
                current.addText(line);
            }
        }
        return fields;
    }

    /** SPLIT_LINES puts name and type on lines of their own: join each pair into "name type". */
    private static List<String> joinNameAndType(List<String> lines) {
        List<String> joined = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            boolean pair = i + 1 < lines.size()
                    && IDENTIFIER.matcher(lines.get(i)).matches()
                    && BARE_TYPE.matcher(lines.get(i + 1)).matches();
            joined.add(pair ? lines.get(i) + " " + lines.get(++i) : lines.get(i));
        }
        return joined;
    }

    private static FieldSpec toInput(RawField f, String modelId) {
        if (f.name == null) {
            throw new IllegalStateException(modelId + ": input without a name: " + f.description());
        }
        JsonNode defaultValue = f.defaultText == null ? null : parseDefault(f.defaultText);
        List<JsonNode> enumValues = f.enumValues == null ? null : typedEnum(f.enumValues, defaultValue);
        return new FieldSpec(f.name, inputType(f, enumValues, modelId), f.required, defaultValue, enumValues,
                f.description(), false, null);
    }

    /** Quoted → string, number → number, true/false → boolean; anything else is a bare string. */
    static JsonNode parseDefault(String text) {
        try {
            return MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text); // e.g. tripo's unquoted "Default value: original_image"
        }
    }

    /** Enum values are strings when the default is a string (e.g. "2"), else numbers if numeric. */
    static List<JsonNode> typedEnum(List<String> values, JsonNode defaultValue) {
        boolean strings = defaultValue != null && defaultValue.isTextual()
                || !values.stream().allMatch(v -> NUMBER.matcher(v).matches());
        return values.stream().map(v -> strings ? TextNode.valueOf(v) : parseDefault(v)).toList();
    }

    private static String inputType(RawField f, List<JsonNode> enumValues, String modelId) {
        if (enumValues != null) {
            return baseType(enumValues);
        }
        if (f.type.endsWith("Enum")) {
            throw new IllegalStateException(modelId + ": enum field " + f.name + " lists no values");
        }
        Matcher list = LIST_TYPE.matcher(f.type);
        return list.matches() ? "list<" + plainType(list.group(1)) + ">" : plainType(f.type);
    }

    private static String baseType(List<JsonNode> enumValues) {
        if (enumValues.stream().allMatch(JsonNode::isTextual)) {
            return "string";
        }
        return enumValues.stream().allMatch(JsonNode::isIntegralNumber) ? "integer" : "float";
    }

    /** A named seed type other than a primitive (RGBColor, Timings...) is a JSON object. */
    private static String plainType(String seedType) {
        return PRIMITIVES.contains(seedType) ? seedType : "object";
    }

    /** Named outputs as typed; unnamed ones take the next unused key of the example output. */
    private static List<OutputField> toOutputs(List<RawField> fields, ObjectNode example, String modelId) {
        Iterator<String> unusedKeys = unusedKeys(fields, example);
        List<OutputField> outputs = new ArrayList<>();
        for (RawField f : fields) {
            if (f.name != null) {
                outputs.add(outputField(f.name, f.type, f.description()));
            } else if (unusedKeys.hasNext()) {
                String name = unusedKeys.next();
                outputs.add(outputField(name, exampleType(example.get(name)), f.description()));
            } else {
                throw new IllegalStateException(modelId + ": output without a name: " + f.description());
            }
        }
        return outputs;
    }

    private static Iterator<String> unusedKeys(List<RawField> fields, ObjectNode example) {
        Set<String> named = Set.copyOf(fields.stream().filter(f -> f.name != null).map(f -> f.name).toList());
        List<String> keys = new ArrayList<>();
        example.fieldNames().forEachRemaining(k -> {
            if (!named.contains(k)) {
                keys.add(k);
            }
        });
        return keys.iterator();
    }

    /** Image and File (fal's file objects, with a url) are files falgate copies; the rest is data. */
    static OutputField outputField(String name, String seedType, String description) {
        Matcher list = LIST_TYPE.matcher(seedType);
        boolean isList = list.matches();
        String element = isList ? list.group(1) : seedType;
        // namespaced types such as registry__image__fast_sdxl__models__Image end in the plain name
        int namespace = element.lastIndexOf("__");
        String simple = namespace < 0 ? element : element.substring(namespace + 2);
        return switch (simple) {
            case "Image" -> new OutputField(name, "image", isList, true, description);
            case "File" -> new OutputField(name, "file", isList, true, description);
            default -> new OutputField(name, plainType(simple), isList, false, description);
        };
    }

    /** The seed type an example value shows: a url object with a size in pixels is an Image. */
    private static String exampleType(JsonNode value) {
        if (value.isArray()) {
            return "list<" + (value.isEmpty() ? "object" : exampleType(value.get(0))) + ">";
        }
        if (value.isObject() && value.has("url")) {
            return value.has("width") || value.has("height") ? "Image" : "File";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        return value.isNumber() ? "float" : value.isBoolean() ? "boolean" : value.isTextual() ? "string" : "object";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One field as the page writes it, before typing. */
    private static final class RawField {
        private static final String REQUIRED = "* required";
        private static final Pattern DEFAULT = Pattern.compile("(.*?)\\s*Default value: (.*)");

        final String name;
        final String type;
        boolean required;
        String defaultText;
        List<String> enumValues;
        private final List<String> text = new ArrayList<>();

        RawField(String name, String type) {
            this.name = name;
            this.type = type;
        }

        static RawField unnamed(String description) {
            RawField f = new RawField(null, null);
            f.addText(description);
            return f;
        }

        /** A piece of description, maybe starting with the required marker or ending in the default. */
        void addText(String piece) {
            String rest = piece.strip();
            if (rest.startsWith(REQUIRED)) {
                required = true;
                rest = rest.substring(REQUIRED.length()).strip();
            }
            Matcher withDefault = DEFAULT.matcher(rest);
            if (withDefault.matches()) {
                defaultText = withDefault.group(2).strip();
                rest = withDefault.group(1);
            }
            if (!rest.isEmpty()) {
                text.add(rest);
            }
        }

        String description() {
            return text.isEmpty() ? null : String.join(" ", text);
        }
    }

    /** Reads one model's page front to back, failing with the model id when a part is missing. */
    private static final class Cursor {
        private final String modelId;
        private final String text;
        private int position;

        Cursor(String modelId, String text) {
            this.modelId = modelId;
            this.text = text;
        }

        void skipPast(Pattern pattern, String what) {
            position = find(pattern, what).end();
        }

        String upTo(Pattern pattern, String what) {
            int start = find(pattern, what).start();
            String skipped = text.substring(position, start);
            position = start;
            return skipped;
        }

        ObjectNode readJsonObject() {
            try (JsonParser parser = MAPPER.createParser(text.substring(position))) {
                JsonNode node = MAPPER.readTree(parser);
                position += (int) parser.currentLocation().getCharOffset();
                return (ObjectNode) node;
            } catch (IOException e) {
                throw new IllegalStateException(modelId + ": bad example JSON: " + e.getMessage(), e);
            }
        }

        private Matcher find(Pattern pattern, String what) {
            Matcher m = pattern.matcher(text);
            if (!m.find(position)) {
                throw new IllegalStateException(modelId + ": page has no " + what);
            }
            return m;
        }
    }
}
