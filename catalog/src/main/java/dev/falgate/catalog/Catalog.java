package dev.falgate.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The models falgate serves, loaded from {@code /falgate/catalog.json} on the classpath.
 * That file is generated from the seed pages plus {@code catalog-overrides.json} by
 * {@link CatalogGenerator}; a test keeps the two in step.
 */
public final class Catalog {
    public static final String RESOURCE = "/falgate/catalog.json";

    /** Its own class, so that referring to the catalog builds no ObjectMapper. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    }

    /** Built at class init without parsing anything: the JSON is read on the first lookup. */
    private static final Catalog STANDARD = new Catalog(Catalog::readStandard);

    /** The catalog's JSON, one tree per model by id (in file order); parsed from the jar on first use. */
    private final Supplier<Map<String, JsonNode>> source;
    /** Models bound so far: a lookup binds only the model it asks for. */
    private final Map<String, ModelSpec> bound = new ConcurrentHashMap<>();
    private volatile Map<String, JsonNode> trees;
    private volatile List<ModelSpec> ordered;

    public Catalog(List<ModelSpec> models) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        models.forEach(m -> {
            byId.put(m.id(), NullNode.getInstance());
            bound.put(m.id(), m);
        });
        this.source = () -> byId;
        this.ordered = List.copyOf(models);
    }

    private Catalog(Supplier<Map<String, JsonNode>> source) {
        this.source = source;
    }

    /**
     * The catalog shipped in the jar. Nothing is parsed until a model is looked up, and a lookup
     * binds only its own model: a cold start pays for the catalog only if its first request needs it.
     */
    public static Catalog standard() {
        return STANDARD;
    }

    private static Map<String, JsonNode> readStandard() {
        InputStream json = Catalog.class.getResourceAsStream(RESOURCE);
        if (json == null) {
            throw new IllegalStateException("catalog resource missing: " + RESOURCE);
        }
        try (json) {
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            Json.MAPPER.readTree(json).forEach(model -> byId.put(model.path("id").asText(), model));
            return byId;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog", e);
        }
    }

    private Map<String, JsonNode> trees() {
        Map<String, JsonNode> t = trees;
        if (t == null) {
            synchronized (this) {
                if (trees == null) {
                    trees = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(source.get()));
                }
                t = trees;
            }
        }
        return t;
    }

    private ModelSpec bind(String id, JsonNode tree) {
        return bound.computeIfAbsent(id, k -> {
            try {
                return Json.MAPPER.treeToValue(tree, ModelSpec.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read catalog model " + id, e);
            }
        });
    }

    public static Catalog load(InputStream json) {
        if (json == null) {
            throw new IllegalStateException("catalog resource missing: " + RESOURCE);
        }
        try (json) {
            return new Catalog(Json.MAPPER.readValue(json, new TypeReference<List<ModelSpec>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalog", e);
        }
    }

    public List<ModelSpec> models() {
        List<ModelSpec> all = ordered;
        if (all == null) {
            all = trees().entrySet().stream().map(e -> bind(e.getKey(), e.getValue())).toList();
            ordered = all;
        }
        return all;
    }

    public Optional<ModelSpec> find(String id) {
        JsonNode tree = trees().get(id);
        return tree == null ? Optional.empty() : Optional.of(bind(id, tree));
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
        for (String candidate : trees().keySet()) {
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
