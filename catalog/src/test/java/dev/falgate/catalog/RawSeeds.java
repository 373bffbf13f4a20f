package dev.falgate.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The seed pages read the plainest possible way, independently of {@link SeedParser}: per model,
 * the raw text of each input field, of the output section and of the two example objects. The
 * tests compare the catalog against these strings.
 */
final class RawSeeds {
    private static final Pattern HEADER = Pattern.compile("(?m)^model\\s+\\d+\\s+--\\s+(\\S+)");
    private static final Pattern SUBSCRIBE = Pattern.compile("fal\\.subscribe\\(\"([^\"]+)\"");
    private static final Pattern INPUT_HEADING = Pattern.compile("(?m)^Input#?$");
    private static final Pattern OUTPUT_HEADING = Pattern.compile("Output#?$", Pattern.MULTILINE);
    private static final Pattern LINE_STARTING_BRACE = Pattern.compile("(?m)^\\{");
    /**
     * A field starts at a line holding its name and, after a space (page 004: no-break space and
     * space) or a line break, its type; the type ends the line, or runs straight into the
     * "* required" marker or the capitalised description (page 004).
     */
    private static final Pattern FIELD = Pattern.compile(
            "(?m)^([A-Za-z_]\\w*)(?:[ \\u00A0]+|\\n)(list<\\w+>|string|integer|float|boolean|\\w*Enum)(?=$|\\*|[A-Z])");
    private static final Pattern DEFAULT = Pattern.compile("Default value: (.*)");
    private static final Pattern ENUM = Pattern.compile("Possible enum values: (.*)");

    /** One input field: its name, seed type and all text up to the next field. */
    record Field(String name, String type, String text) {

        Optional<String> defaultText() {
            return firstGroup(DEFAULT, text);
        }

        Optional<List<String>> enumValues() {
            return firstGroup(ENUM, text).map(values -> List.of(values.strip().split(",\\s*")));
        }

        boolean markedRequired() {
            return text.contains("* required");
        }
    }

    record Model(String id, List<Field> inputs, String inputExample, String outputSection, String outputExample) {
    }

    private RawSeeds() {
    }

    static Map<String, Model> read(Path seedsDir) {
        Map<String, Model> models = new LinkedHashMap<>();
        try (Stream<Path> pages = Files.list(seedsDir)) {
            pages.filter(p -> p.toString().endsWith(".txt")).sorted()
                    .flatMap(page -> modelTexts(readString(page)).stream())
                    .map(RawSeeds::model)
                    .forEach(m -> models.put(m.id(), m));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return models;
    }

    /** A page's text per model: split at "model N -- id" headers, or the whole page. */
    private static List<String> modelTexts(String page) {
        List<MatchResult> headers = HEADER.matcher(page).results().toList();
        if (headers.isEmpty()) {
            return List.of(page);
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            int end = i + 1 < headers.size() ? headers.get(i + 1).start() : page.length();
            texts.add(page.substring(headers.get(i).start(), end));
        }
        return texts;
    }

    private static Model model(String text) {
        String id = firstGroup(HEADER, text).or(() -> firstGroup(SUBSCRIBE, text)).orElseThrow();
        String schema = text.substring(text.indexOf("5. Schema"));
        int inputStart = find(INPUT_HEADING, schema, 0).end();
        int inputExampleStart = find(LINE_STARTING_BRACE, schema, inputStart).start();
        int outputStart = find(OUTPUT_HEADING, schema, inputExampleStart).end();
        int outputExampleStart = find(LINE_STARTING_BRACE, schema, outputStart).start();
        return new Model(id,
                fields(schema.substring(inputStart, inputExampleStart)),
                schema.substring(inputExampleStart, outputStart),
                schema.substring(outputStart, outputExampleStart),
                schema.substring(outputExampleStart));
    }

    private static List<Field> fields(String inputSection) {
        List<MatchResult> starts = FIELD.matcher(inputSection).results().toList();
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1).start() : inputSection.length();
            MatchResult start = starts.get(i);
            fields.add(new Field(start.group(1), start.group(2), inputSection.substring(start.end(), end)));
        }
        return fields;
    }

    private static Matcher find(Pattern pattern, String text, int from) {
        Matcher m = pattern.matcher(text);
        if (!m.find(from)) {
            throw new IllegalStateException("no " + pattern + " in " + text.substring(0, Math.min(80, text.length())));
        }
        return m;
    }

    private static Optional<String> firstGroup(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
    }

    private static String readString(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
