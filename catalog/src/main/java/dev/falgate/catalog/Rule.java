package dev.falgate.catalog;

import java.util.List;

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
}
