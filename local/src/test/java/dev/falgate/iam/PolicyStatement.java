package dev.falgate.iam;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One Allow statement of a function's role, resolved to the local stack's names. Evaluated as IAM
 * does for what falgate's template uses: an action matches a pattern case-insensitively, a resource
 * case-sensitively, {@code *} and {@code ?} as wildcards. Deny, NotAction, NotResource and Condition
 * are refused where the statement is read ({@link RolePolicies}): this evaluator does not model them.
 *
 * @param source the template's entry it came from, e.g. {@code Policies[1] S3CrudPolicy}
 */
public record PolicyStatement(String function, String source, List<String> actions, List<String> resources) {
    public boolean allows(Access access) {
        return actions.stream().anyMatch(a -> matches(a, access.action(), true))
                && resources.stream().anyMatch(r -> matches(r, access.arn(), false));
    }

    /** Whether {@code access} needs this action pattern (and the statement allows it). */
    boolean usesAction(String action, Access access) {
        return allows(access) && matches(action, access.action(), true);
    }

    /** Whether {@code access} is on this resource pattern (and the statement allows it). */
    boolean usesResource(String resource, Access access) {
        return allows(access) && matches(resource, access.arn(), false);
    }

    static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    @Override
    public String toString() {
        return function + " " + source + " " + actions + " on " + resources;
    }
}
