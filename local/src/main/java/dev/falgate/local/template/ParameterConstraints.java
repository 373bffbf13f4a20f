package dev.falgate.local.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks CloudFormation makes on a parameter value before a deploy: AllowedValues,
 * MinValue/MaxValue of a Number, AllowedPattern and MinLength/MaxLength of a String. The local
 * runner refuses what a deploy would refuse, so no test passes on a value production can't have.
 */
final class ParameterConstraints {
    private ParameterConstraints() {
    }

    static void check(String name, Map<String, Object> spec, String value) {
        List<String> allowed = Yamls.strings(spec.get("AllowedValues"));
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            throw refused(name, value, "is not one of " + allowed);
        }
        if ("Number".equals(String.valueOf(spec.get("Type")))) {
            checkNumber(name, spec, value);
        } else {
            checkString(name, spec, value);
        }
    }

    private static void checkNumber(String name, Map<String, Object> spec, String value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw refused(name, value, "is not a number");
        }
        if (spec.containsKey("MinValue") && number.compareTo(new BigDecimal(String.valueOf(spec.get("MinValue")))) < 0) {
            throw refused(name, value, "is below its MinValue " + spec.get("MinValue"));
        }
        if (spec.containsKey("MaxValue") && number.compareTo(new BigDecimal(String.valueOf(spec.get("MaxValue")))) > 0) {
            throw refused(name, value, "is above its MaxValue " + spec.get("MaxValue"));
        }
    }

    private static void checkString(String name, Map<String, Object> spec, String value) {
        Object pattern = spec.get("AllowedPattern");
        // CloudFormation matches the whole value
        if (pattern != null && !Pattern.compile(String.valueOf(pattern)).matcher(value).matches()) {
            throw refused(name, value, "does not match its AllowedPattern " + pattern);
        }
        if (spec.containsKey("MinLength") && value.length() < Integer.parseInt(String.valueOf(spec.get("MinLength")))) {
            throw refused(name, value, "is shorter than its MinLength " + spec.get("MinLength"));
        }
        if (spec.containsKey("MaxLength") && value.length() > Integer.parseInt(String.valueOf(spec.get("MaxLength")))) {
            throw refused(name, value, "is longer than its MaxLength " + spec.get("MaxLength"));
        }
    }

    private static TemplateException refused(String name, String value, String why) {
        return new TemplateException("parameter " + name + "=" + value + " " + why
                + " (a deploy would refuse it too)");
    }
}
