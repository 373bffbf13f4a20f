package dev.falgate.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.contract.OpenApiLintTest;
import dev.falgate.local.template.SamExpansion;
import dev.falgate.local.template.StackContext;
import dev.falgate.local.template.TemplateJson;
import dev.falgate.local.template.TemplateModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each function's role as CloudFormation would create it: template.yaml expanded by the pinned
 * aws-sam-translator ({@link SamExpansion}, the venv CfnLintTest uses), its policy
 * templates and inline statements resolved by the local stack's intrinsics (region us-east-1,
 * account 000000000000, names {@code falgate-<LogicalId>}), which are also the names the recorded
 * operations carry.
 */
final class RolePolicies {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** function logical id → its Allow statements, in template order. */
    final Map<String, List<PolicyStatement>> statements;
    /** function logical id → the AWS managed policies SAM attached (not evaluated: AWS's documents). */
    final Map<String, List<String>> managedPolicies;

    private RolePolicies(Map<String, List<PolicyStatement>> statements, Map<String, List<String>> managedPolicies) {
        this.statements = statements;
        this.managedPolicies = managedPolicies;
    }

    static RolePolicies of(Path template) throws Exception {
        JsonNode original = JSON.readTree(TemplateJson.of(template));
        JsonNode expanded = expand(template);
        TemplateModel names = TemplateModel.load(template, StackContext.local(URI.create("http://127.0.0.1:1"), Map.of()));
        Map<String, List<PolicyStatement>> statements = new LinkedHashMap<>();
        Map<String, List<String>> managed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expanded.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!resource.getValue().path("Type").asText().equals("AWS::Lambda::Function")) {
                continue;
            }
            String function = resource.getKey();
            JsonNode role = expanded.path("Resources").path(resource.getValue().at("/Properties/Role/Fn::GetAtt/0").asText());
            JsonNode sources = original.at("/Resources/" + function + "/Properties/Policies");
            statements.put(function, statements(function, role.at("/Properties/Policies"), sources, names));
            List<String> arns = new ArrayList<>();
            role.at("/Properties/ManagedPolicyArns").forEach(a -> arns.add(a.asText()));
            managed.put(function, arns);
        }
        return new RolePolicies(statements, managed);
    }

    private static List<PolicyStatement> statements(String function, JsonNode policies, JsonNode sources,
            TemplateModel names) {
        List<PolicyStatement> out = new ArrayList<>();
        for (JsonNode policy : policies) {
            String name = policy.path("PolicyName").asText();
            // SAM names the policy of the function's Policies[i] <Function>RolePolicy<i>
            int index = Integer.parseInt(name.substring(name.lastIndexOf("Policy") + "Policy".length()));
            String kind = sources.path(index).fieldNames().next();
            String source = "Policies[" + index + "]" + (kind.equals("Statement") ? "" : " " + kind);
            JsonNode list = policy.at("/PolicyDocument/Statement");
            for (JsonNode statement : list.isArray() ? list : JSON.createArrayNode().add(list)) {
                out.add(statement(function, source, statement, names));
            }
        }
        return out;
    }

    private static PolicyStatement statement(String function, String source, JsonNode statement, TemplateModel names) {
        for (String unsupported : List.of("NotAction", "NotResource", "Condition", "NotPrincipal")) {
            if (statement.has(unsupported)) {
                throw new IllegalStateException(function + " " + source + ": " + unsupported + " is not modelled by PolicyStatement");
            }
        }
        if (!statement.path("Effect").asText().equals("Allow")) {
            throw new IllegalStateException(function + " " + source + ": only Allow statements are modelled");
        }
        return new PolicyStatement(function, source, strings(statement.path("Action"), names),
                strings(statement.path("Resource"), names));
    }

    /** A string or list of strings, intrinsics resolved with the local stack's names. */
    private static List<String> strings(JsonNode node, TemplateModel names) {
        Object resolved = names.resolve(JSON.convertValue(node, Object.class));
        List<?> items = resolved instanceof List<?> l ? l : List.of(resolved);
        return items.stream().map(String::valueOf).toList();
    }

    private static JsonNode expand(Path template) throws Exception {
        return JSON.readTree(SamExpansion.expand(template, OpenApiLintTest.MODULE.resolve("target/iam/expanded.json")).toFile());
    }
}
