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
}
