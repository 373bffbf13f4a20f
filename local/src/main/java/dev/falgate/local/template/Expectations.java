package dev.falgate.local.template;

import java.util.List;
import java.util.Map;

/**
 * What the code expects of the template, for {@link TemplateCheck}. Routes are not listed here:
 * each handler class declares its own ({@code public static final List<String> ROUTES}).
 *
 * @param tables              by the environment variable that names the table (e.g. {@code JOBS_TABLE})
 * @param requiredEnvironment variables every function must get from the template
 */
public record Expectations(Map<String, TableExpectation> tables, List<String> requiredEnvironment) {

    public Expectations {
        tables = Map.copyOf(tables);
        requiredEnvironment = List.copyOf(requiredEnvironment);
    }

    /**
     * @param indexes index name to its key attributes {@code [hash, range]}; an empty list accepts
     *                any keys (the code only names the index)
     * @param ttlAttribute null when the code sets no TTL
     */
    public record TableExpectation(String partitionKey, String sortKey, Map<String, List<String>> indexes,
            String ttlAttribute) {
        public TableExpectation {
            indexes = Map.copyOf(indexes);
        }
    }
}
