package dev.falgate.local.template;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.falgate.local.template.Expectations.TableExpectation;
import dev.falgate.local.template.TableDef.KeyElement;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares template.yaml with the code it deploys, so a drift fails a test instead of a deploy:
 * every handler class loads, implements RequestHandler for its events and has the two constructors;
 * the routes a handler declares ({@code ROUTES}) are exactly the template's routes for its function;
 * an SQS consumer that reports batch item failures has {@code ReportBatchItemFailures}; tables have
 * the keys, indexes and TTL the repositories use; every function gets the environment the code reads.
 */
public final class TemplateCheck {
    private static final String ROUTES_FIELD = "ROUTES";

    private final TemplateModel template;
    private final Expectations expectations;
    private final List<String> problems = new ArrayList<>();

    private TemplateCheck(TemplateModel template, Expectations expectations) {
        this.template = template;
        this.expectations = expectations;
    }

    /** Every problem found, one sentence each; empty when the template and the code agree. */
    public static List<String> run(TemplateModel template, Expectations expectations) {
        TemplateCheck check = new TemplateCheck(template, expectations);
        check.checkFunctions();
        check.checkTables();
        return List.copyOf(check.problems);
    }

    private void problem(String text) {
        problems.add(text);
    }

    // ---- functions

    private void checkFunctions() {
        Set<String> seenRoutes = new HashSet<>();
        for (FunctionDef function : template.functions()) {
            function.routes().stream().map(HttpRouteDef::routeKey).filter(r -> !seenRoutes.add(r))
                    .forEach(r -> problem("route " + r + " is declared twice"));
            expectations.requiredEnvironment().stream().filter(v -> !function.environment().containsKey(v))
                    .forEach(v -> problem(function.logicalId() + " lacks environment variable " + v));
            loadHandler(function).ifPresent(type -> checkHandler(function, type));
        }
    }

    private Optional<Class<?>> loadHandler(FunctionDef function) {
        try {
            return Optional.of(Class.forName(function.handlerClass(), false, TemplateCheck.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            problem(function.logicalId() + ": handler class " + function.handlerClass() + " does not load (" + e + ")");
            return Optional.empty();
        }
    }

    private void checkHandler(FunctionDef function, Class<?> type) {
        String name = function.logicalId() + " (" + type.getName() + ")";
        checkConstructor(name, type);
        checkConstructor(name, type, Map.class);
        if (!hasMethod(type, function.handlerMethod())) {
            problem(name + " has no public method " + function.handlerMethod());
        }
        Optional<Type[]> io = requestHandlerTypes(type);
        if (io.isEmpty()) {
            problem(name + " does not implement RequestHandler<input, output>");
            return;
        }
        checkEventTypes(function, name, io.get()[0], io.get()[1]);
        checkRoutes(function, name, type);
    }

    private void checkConstructor(String name, Class<?> type, Class<?>... parameters) {
        try {
            if (!Modifier.isPublic(type.getConstructor(parameters).getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            problem(name + " lacks a public constructor (" + (parameters.length == 0 ? "" : "Map<String, String> env")
                    + ")");
        }
    }

    private static boolean hasMethod(Class<?> type, String method) {
        return Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(method));
    }

    private void checkEventTypes(FunctionDef function, String name, Type input, Type output) {
        if (!function.routes().isEmpty() && input != APIGatewayV2HTTPEvent.class) {
            problem(name + " serves HttpApi routes but takes " + input.getTypeName());
        }
        if (!function.sqsEvents().isEmpty() && input != SQSEvent.class) {
            problem(name + " consumes SQS but takes " + input.getTypeName());
        }
        if (output == SQSBatchResponse.class) {
            function.sqsEvents().stream().filter(e -> !e.reportBatchItemFailures())
                    .forEach(e -> problem(name + " returns SQSBatchResponse but event " + e.eventName()
                            + " lacks FunctionResponseTypes: [ReportBatchItemFailures], so failed items would be deleted"));
        }
    }

    private void checkRoutes(FunctionDef function, String name, Class<?> type) {
        Set<String> inTemplate = function.routes().stream().map(HttpRouteDef::routeKey)
                .collect(Collectors.toCollection(TreeSet::new));
        Optional<Set<String>> declared = declaredRoutes(type);
        if (declared.isEmpty()) {
            if (!inTemplate.isEmpty()) {
                problem(name + " has HttpApi routes but declares no public static " + ROUTES_FIELD);
            }
            return;
        }
        declared.get().stream().filter(r -> !inTemplate.contains(r))
                .forEach(r -> problem(name + " serves " + r + " but the template has no such route for it"));
        inTemplate.stream().filter(r -> !declared.get().contains(r))
                .forEach(r -> problem("the template routes " + r + " to " + name + ", which does not serve it"));
    }

    private static Optional<Set<String>> declaredRoutes(Class<?> type) {
        try {
            Field field = type.getField(ROUTES_FIELD);
            if (!Modifier.isStatic(field.getModifiers()) || !(field.get(null) instanceof Collection<?> routes)) {
                return Optional.empty();
            }
            return Optional.of(routes.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)));
        } catch (NoSuchFieldException | IllegalAccessException e) {
            return Optional.empty();
        }
    }

    /** The {@code I, O} of {@code RequestHandler<I, O>}, found up the class hierarchy. */
    static Optional<Type[]> requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return Optional.of(p.getActualTypeArguments());
                }
            }
        }
        return Optional.empty();
    }

    // ---- tables

    private void checkTables() {
        for (TableDef table : template.tables()) {
            checkAttributeDefinitions(table);
        }
        expectations.tables().forEach(this::checkExpectedTable);
    }

    /** DynamoDB rejects a definition no key uses, and a key without a definition. */
    private void checkAttributeDefinitions(TableDef table) {
        Set<String> keyAttributes = new TreeSet<>();
        table.keySchema().forEach(k -> keyAttributes.add(k.attributeName()));
        table.globalIndexes().forEach(i -> i.keySchema().forEach(k -> keyAttributes.add(k.attributeName())));
        keyAttributes.stream().filter(a -> !table.attributeTypes().containsKey(a))
                .forEach(a -> problem(table.logicalId() + ": key attribute " + a + " has no AttributeDefinition"));
        table.attributeTypes().keySet().stream().filter(a -> !keyAttributes.contains(a))
                .forEach(a -> problem(table.logicalId() + ": AttributeDefinition " + a + " is used by no key"));
    }

    private void checkExpectedTable(String envVariable, TableExpectation expected) {
        Set<String> names = template.functions().stream().map(f -> f.environment().get(envVariable))
                .filter(n -> n != null).collect(Collectors.toSet());
        Optional<TableDef> table = template.tables().stream().filter(t -> names.contains(t.tableName())).findFirst();
        if (table.isEmpty()) {
            problem("no table of the template is named by " + envVariable + " " + names);
            return;
        }
        TableDef t = table.get();
        checkKey(t.logicalId(), t.keySchema(), List.of(expected.partitionKey(), expected.sortKey()));
        expected.indexes().forEach((index, keys) -> t.index(index).ifPresentOrElse(
                i -> checkKey(t.logicalId() + " index " + index, i.keySchema(), keys),
                () -> problem(t.logicalId() + " lacks the index " + index + " the code queries")));
        if (expected.ttlAttribute() != null && !expected.ttlAttribute().equals(t.ttlAttribute())) {
            problem(t.logicalId() + " has TTL on " + t.ttlAttribute() + ", the code writes " + expected.ttlAttribute());
        }
    }

    private void checkKey(String what, List<KeyElement> actual, List<String> expected) {
        if (expected.isEmpty()) {
            return;
        }
        List<String> hashThenRange = List.of("HASH", "RANGE");
        List<String> actualNames = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            KeyElement k = actual.get(i);
            actualNames.add(i < hashThenRange.size() && k.keyType().equals(hashThenRange.get(i)) ? k.attributeName()
                    : k.attributeName() + "(" + k.keyType() + ")");
        }
        List<String> wanted = expected.stream().filter(n -> n != null).toList();
        if (!actualNames.equals(wanted)) {
            problem(what + " has key " + actualNames + ", the code expects " + wanted);
        }
    }
}
