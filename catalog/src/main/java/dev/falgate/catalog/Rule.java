package dev.falgate.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A rule across fields of one model's input, as its seed page states it.
 *
 * @param kind {@code gte}: {@code fields[0] >= fields[1]} when both are given (after defaults);
 *     {@code any_of}: at least one of the fields is given and not empty;
 *     {@code all_or_none}: the fields come together or not at all
 * @param fields the fields the rule names, in the order its kind reads them
 * @param message what the caller is told when the rule fails
 * @param why where the rule comes from (the seed page's words, or the reviewed reason)
 */
public record Rule(String kind, List<String> fields, String message, String why) {
    public static final List<String> KINDS = List.of("gte", "any_of", "all_or_none");

    /** Fails on an unknown kind, a wrong number of fields, or a rule that does not say what and why. */
    public Rule {
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown rule kind '" + kind + "' (known: " + String.join(", ", KINDS) + ")");
        }
        if (fields == null || fields.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException(kind + " rule needs its fields");
        }
        fields = List.copyOf(fields);
        if (fields.size() < 2 || new HashSet<>(fields).size() != fields.size() || (kind.equals("gte") && fields.size() != 2)) {
            throw new IllegalArgumentException(kind + " rule needs " + (kind.equals("gte") ? "exactly 2" : "2 or more")
                    + " distinct fields, not " + fields);
        }
        if (message == null || message.isBlank() || why == null || why.isBlank()) {
            throw new IllegalArgumentException(kind + " rule on " + fields + " needs a message and a why");
        }
    }
}
