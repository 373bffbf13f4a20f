package dev.falgate.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.contract.OpenApiLintTest;
import dev.falgate.local.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven on what the functions really do: every AWS operation the end-to-end
 * suite made in this JVM ({@link OperationRecorder}), attributed to its function, is evaluated
 * against that function's statements in the SAM-expanded template ({@link RolePolicies}).
 * Runs after every other class of the module ({@link RunsLast}); alone it has nothing to evaluate
 * and says so.
 *
 * <p>Not modelled: conditions, Deny, permission boundaries, the bucket policy (it only denies
 * plain HTTP), and the AWS managed policies SAM attaches (AWSLambdaBasicExecutionRole for logs,
 * AWSLambdaSQSQueueExecutionRole for the SQS event sources, which Lambda's poller uses, not our code).
 */
class LeastPrivilegeTest {
    private static RolePolicies roles;
    private static Map<String, List<Access>> byFunction;

    @BeforeAll
    static void evaluateWhatWasRecorded() throws Exception {
        roles = RolePolicies.of(TestPaths.repoTemplate());
        byFunction = OperationRecorder.recorded().stream()
                .filter(a -> roles.statements.containsKey(a.function()))
                .sorted(Comparator.comparing(Access::function).thenComparing(Access::action).thenComparing(Access::arn))
                .collect(Collectors.groupingBy(Access::function, TreeMap::new, Collectors.toList()));
        printOperations();
        printUnexercisedGrants();
        writeRecorded();
    }

    @Test
    void everyFunctionOfTheTemplatePerformedOperations() {
        assertThat(byFunction.keySet())
                .as("functions with recorded AWS operations (run this class with the e2e suite: it runs last)")
                .containsExactlyInAnyOrderElementsOf(roles.statements.keySet());
    }

    @Test
    void everyOperationOfFunctionCodeIsAttributedToItsFunction() {
        assertThat(OperationRecorder.unattributed())
                .as("AWS calls by function code on a thread without its function (wrap its tasks in InvocationScope.carrying)")
                .isEmpty();
    }

    @Test
    void everyRecordedOperationIsAllowedByItsFunctionsOwnStatements() {
        List<Access> denied = byFunction.values().stream().flatMap(List::stream)
                .filter(a -> roles.statements.get(a.function()).stream().noneMatch(s -> s.allows(a))).toList();
        assertThat(denied).as("operations the deployed roles would refuse").isEmpty();
    }

    /** No dead statement: without any one of them, something a function did is refused. */
    @Test
    void removingAnyStatementDeniesARecordedOperation() {
        List<String> dead = new ArrayList<>();
        System.out.println("\nStatement removal (function, statement removed: recorded operations it alone allowed, e.g.)");
        roles.statements.forEach((function, statements) -> {
            for (PolicyStatement removed : statements) {
                List<PolicyStatement> rest = statements.stream().filter(s -> s != removed).toList();
                List<Access> denied = byFunction.getOrDefault(function, List.of()).stream()
                        .filter(removed::allows).filter(a -> rest.stream().noneMatch(s -> s.allows(a))).toList();
                System.out.printf("  %-18s %-12s %-55s %4d denied%s%n", function, removed.source(),
                        String.join(",", removed.actions()), denied.size(),
                        denied.isEmpty() ? "  <-- DEAD" : "  e.g. " + denied.get(0).action() + " " + shortArn(denied.get(0).arnPattern()));
                if (denied.isEmpty()) {
                    dead.add(removed.toString());
                }
            }
        });
        assertThat(dead).as("statements whose removal denies nothing recorded").isEmpty();
    }

    /**
     * Within a statement, the actions and resources no recorded operation used: rights the code
     * needs on rarer paths than the suite takes (a callback that finds the job still running, a
     * copy retried later). Printed for review, not failed on: a statement's removal is the test.
     */
    private static void printUnexercisedGrants() {
        System.out.println("\nGranted, but not exercised by this run (function, statement: action or resource)");
        roles.statements.forEach((function, statements) -> {
            List<Access> accesses = byFunction.getOrDefault(function, List.of());
            for (PolicyStatement s : statements) {
                s.actions().stream().filter(action -> accesses.stream().noneMatch(a -> s.usesAction(action, a)))
                        .forEach(action -> System.out.printf("  %-18s %-12s action %s%n", function, s.source(), action));
                s.resources().stream().filter(resource -> accesses.stream().noneMatch(a -> s.usesResource(resource, a)))
                        .forEach(resource -> System.out.printf("  %-18s %-12s resource %s%n", function, s.source(), shortArn(resource)));
            }
        });
    }

    @Test
    void noStatementAllowsEveryResource() {
        assertThat(roles.statements.values().stream().flatMap(List::stream)
                .filter(s -> s.resources().stream().anyMatch(r -> r.equals("*")))).isEmpty();
    }

    /** The table the closing note quotes: function, action, resource (S3 keys by first segment), operations, statement. */
    private static void printOperations() {
        System.out.println("\nAWS operations per function, recorded by the end-to-end suite, with the statement allowing each");
        byFunction.forEach((function, accesses) -> {
            Map<String, Set<String>> operations = new TreeMap<>();
            for (Access a : accesses) {
                String statement = roles.statements.get(function).stream().filter(s -> s.allows(a))
                        .map(PolicyStatement::source).findFirst().orElse("DENIED");
                operations.computeIfAbsent(String.format("  %-18s %-30s %-62s %-12s", function, a.action(), shortArn(a.arnPattern()), statement),
                        k -> new TreeSet<>()).add(a.operation());
            }
            operations.forEach((line, ops) -> System.out.println(line + "  via " + String.join(", ", ops)));
            System.out.println("  " + function + " managed policies (not evaluated): " + roles.managedPolicies.get(function));
        });
    }

    /** target/iam/recorded-operations.tsv: function, action, resource, SDK operation; to check another template by hand. */
    private static void writeRecorded() throws IOException {
        List<String> lines = byFunction.values().stream().flatMap(List::stream)
                .map(a -> String.join("\t", a.function(), a.action(), a.arn(), a.operation())).toList();
        Files.write(Files.createDirectories(OpenApiLintTest.MODULE.resolve("target/iam")).resolve("recorded-operations.tsv"), lines);
    }

    private static String shortArn(String arn) {
        return arn.replace(":us-east-1:000000000000:", "::");
    }
}
