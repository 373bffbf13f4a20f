package dev.falgate.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models falgate serves, loaded from {@code /falgate/catalog.json} on the classpath.
 * That file is generated from the seed pages plus {@code catalog-overrides.json} by
 * {@link CatalogGenerator}; a test keeps the two in step.
 */
public final class Catalog {
    public static final String RESOURCE = "/falgate/catalog.json";

    private static volatile Catalog standard;

    private final Map<String, ModelSpec> models;

    public Catalog(List<ModelSpec> models) {
        Map<String, ModelSpec> byId = new LinkedHashMap<>();
        models.forEach(m -> byId.put(m.id(), m));
        this.models = Map.copyOf(byId);
        this.ordered = List.copyOf(models);
    }

    private final List<ModelSpec> ordered;

    /** The catalog shipped in the jar; parsed once per JVM. */
    public static Catalog standard() {
        Catalog c = standard;
        if (c == null) {
            synchronized (Catalog.class) {
                if (standard == null) {
                    standard = load(Catalog.class.getResourceAsStream(RESOURCE));
                }
                c = standard;
            }
        }
        return c;
    }

    public static Catalog load(InputStream json) {
        if (json == null) {
            throw new IllegalStateException("catalog resource missing: " + RESOURCE);
        }
        try (json) {
            ObjectMapper mapper = new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
            return new Catalog(mapper.readValue(json, new TypeReference<List<ModelSpec>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog", e);
        }
    }

    public List<ModelSpec> models() {
        return ordered;
    }

    public Optional<ModelSpec> find(String id) {
        return Optional.ofNullable(models.get(id));
    }

    /** What the API says about a model id it does not know, with the closest id when one is near. */
    public String unknownModelMessage(String id) {
        return "unknown model " + id + closest(id).map(c -> "; did you mean " + c + "? See").orElse("; see") + " GET /v1/models";
    }

    /**
     * The catalog id nearest to {@code id} by edit distance, if it is near enough to be a typo:
     * at most a third of the id's length (and at least one edit) away.
     */
    public Optional<String> closest(String id) {
        int allowed = Math.max(1, id.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : models.keySet()) {
            int d = editDistance(id, candidate);
            if (d <= allowed && (d < bestDistance || (d == bestDistance && candidate.compareTo(best) < 0))) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
