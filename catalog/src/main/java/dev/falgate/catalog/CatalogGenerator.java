package dev.falgate.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds {@code catalog.json}: the seed pages ({@link SeedParser}) plus the reviewed overrides
 * ({@link CatalogOverrides}), in seed-file order, pretty-printed the same way on every machine.
 *
 * <p>Usage: {@code CatalogGenerator <seeds dir> <catalog.json to write>}.
 */
public final class CatalogGenerator {

    private static final DefaultIndenter NEWLINE_INDENT = new DefaultIndenter("  ", "\n");
    /** Fixed indenting and line ends (not the platform's), {@code "key": value} spacing. */
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(NEWLINE_INDENT)
            .withArrayIndenter(NEWLINE_INDENT)
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private CatalogGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CatalogGenerator <seeds dir> <catalog.json to write>");
        }
        List<ModelSpec> models = generate(Path.of(args[0]));
        Path output = Path.of(args[1]);
        Files.writeString(output, toJson(models));
        System.out.println("wrote " + models.size() + " models to " + output);
    }

    /** The catalog's models: every seed page model with its overrides applied. */
    public static List<ModelSpec> generate(Path seedsDir) throws IOException {
        return CatalogOverrides.standard().apply(SeedParser.parseDirectory(seedsDir));
    }

    /** The catalog.json text for the models, newline-terminated. */
    public static String toJson(List<ModelSpec> models) {
        try {
            return WRITER.writeValueAsString(models) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
