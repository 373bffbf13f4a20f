package dev.falgate.local.template;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Evaluates the CloudFormation intrinsic functions the local stack needs, on the long form that
 * {@link CfnYamlConstructor} produces. Names ({@code Ref}, {@code GetAtt}, conditions, mappings) are
 * answered by a {@link Lookup}; anything else is refused with the function's name, so a template
 * change that needs more support fails loudly instead of starting with a wrong value.
 */
final class IntrinsicResolver {
    /** The value of {@code !Ref AWS::NoValue}: the property is dropped. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    interface Lookup {
        Object ref(String name);

        String getAtt(String logicalId, String attribute);

        boolean condition(String name);

        Object findInMap(String map, String topKey, String secondKey);
    }

    private final Lookup lookup;

    IntrinsicResolver(Lookup lookup) {
        this.lookup = lookup;
    }

    Object resolve(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = String.valueOf(map.keySet().iterator().next());
                if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
                    return apply(key, map.get(key));
                }
            }
            return resolveMap(map);
        }
        if (node instanceof List<?> list) {
            return resolveList(list);
        }
        return node;
    }

    String resolveString(Object node) {
        Object value = resolve(node);
        return value == null || value == NO_VALUE ? null : scalar(value);
    }

    private Map<String, Object> resolveMap(Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            Object value = resolve(v);
            if (value != NO_VALUE) {
                out.put(String.valueOf(k), value);
            }
        });
        return out;
    }

    private List<Object> resolveList(List<?> list) {
        List<Object> out = new ArrayList<>();
        for (Object item : list) {
            Object value = resolve(item);
            if (value != NO_VALUE) {
                out.add(value);
            }
        }
        return out;
    }

    private Object apply(String function, Object argument) {
        switch (function) {
            case "Ref":
                return lookup.ref(scalar(resolve(argument)));
            case "Condition":
                return lookup.condition(scalar(argument));
            case "Fn::GetAtt":
                return getAtt(argument);
            case "Fn::Sub":
                return sub(argument);
            case "Fn::Join":
                return join(args(function, argument, 2));
            case "Fn::If":
                return ifThenElse(args(function, argument, 3));
            case "Fn::Equals": {
                List<?> args = args(function, argument, 2);
                return Objects.equals(scalar(resolve(args.get(0))), scalar(resolve(args.get(1))));
            }
            case "Fn::Not":
                return !truth(args(function, argument, 1).get(0));
            case "Fn::And":
                return args(function, argument, -1).stream().allMatch(this::truth);
            case "Fn::Or":
                return args(function, argument, -1).stream().anyMatch(this::truth);
            case "Fn::Select": {
                List<?> args = args(function, argument, 2);
                List<?> from = (List<?>) resolve(args.get(1));
                return from.get(Integer.parseInt(scalar(resolve(args.get(0)))));
            }
            case "Fn::Split": {
                List<?> args = args(function, argument, 2);
                return List.of(scalar(resolve(args.get(1))).split(Pattern.quote(scalar(args.get(0))), -1));
            }
            case "Fn::Base64":
                return Base64.getEncoder().encodeToString(
                        scalar(resolve(argument)).getBytes(StandardCharsets.UTF_8));
            case "Fn::FindInMap": {
                List<?> args = args(function, argument, 3);
                return lookup.findInMap(scalar(resolve(args.get(0))), scalar(resolve(args.get(1))),
                        scalar(resolve(args.get(2))));
            }
            default:
                throw new TemplateException(function + " is not supported by the local stack");
        }
    }

    private Object getAtt(Object argument) {
        Object resolved = resolve(argument);
        List<?> parts = resolved instanceof List<?> l ? l : List.of(scalar(resolved).split("\\.", 2));
        if (parts.size() != 2) {
            throw new TemplateException("Fn::GetAtt needs [LogicalId, Attribute], got " + argument);
        }
        return lookup.getAtt(scalar(parts.get(0)), scalar(parts.get(1)));
    }

    private String sub(Object argument) {
        String template;
        Map<String, Object> variables = Map.of();
        if (argument instanceof List<?> list) {
            template = scalar(list.get(0));
            variables = resolveMap((Map<?, ?>) list.get(1));
        } else {
            template = scalar(argument);
        }
        Map<String, Object> local = variables;
        Matcher m = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(substitute(m.group(1), local)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String substitute(String name, Map<String, Object> variables) {
        if (name.startsWith("!")) {
            return "${" + name.substring(1) + "}"; // ${!Literal} is an escaped literal
        }
        if (variables.containsKey(name)) {
            return scalar(variables.get(name));
        }
        int dot = name.indexOf('.');
        if (dot > 0 && !name.startsWith("AWS::")) {
            return lookup.getAtt(name.substring(0, dot), name.substring(dot + 1));
        }
        return scalar(lookup.ref(name));
    }

    private String join(List<?> args) {
        String delimiter = scalar(args.get(0));
        List<?> items = (List<?>) resolve(args.get(1));
        return items.stream().map(IntrinsicResolver::scalar).collect(Collectors.joining(delimiter));
    }

    private Object ifThenElse(List<?> args) {
        boolean condition = lookup.condition(scalar(args.get(0)));
        return resolve(condition ? args.get(1) : args.get(2));
    }

    private boolean truth(Object node) {
        Object value = resolve(node);
        return value instanceof Boolean b ? b : Boolean.parseBoolean(scalar(value));
    }

    private static List<?> args(String function, Object argument, int count) {
        if (!(argument instanceof List<?> list) || (count >= 0 && list.size() != count)) {
            throw new TemplateException(function + " needs a list of " + (count < 0 ? "conditions" : count)
                    + " arguments, got " + argument);
        }
        return list;
    }

    static String scalar(Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new TemplateException("expected a single value, got " + value);
        }
        return String.valueOf(value);
    }
}
