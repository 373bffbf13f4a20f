package dev.falgate.local.template;

import java.net.URI;
import java.util.Map;

/**
 * Where the template is "deployed": the stack name that prefixes physical names, the region and
 * account in ARNs, the SQS endpoint that queue URLs point at, and parameter overrides.
 */
public record StackContext(String stackName, String region, String accountId, URI sqsEndpoint,
        Map<String, String> parameterOverrides) {

    public static final String LOCAL_STACK_NAME = "falgate";
    public static final String LOCAL_REGION = "us-east-1";
    public static final String LOCAL_ACCOUNT = "000000000000";

    public StackContext {
        parameterOverrides = Map.copyOf(parameterOverrides);
    }

    public static StackContext local(URI sqsEndpoint, Map<String, String> parameterOverrides) {
        return new StackContext(LOCAL_STACK_NAME, LOCAL_REGION, LOCAL_ACCOUNT, sqsEndpoint, parameterOverrides);
    }

    public StackContext withSqsEndpoint(URI endpoint) {
        return new StackContext(stackName, region, accountId, endpoint, parameterOverrides);
    }

    public StackContext withParameterOverrides(Map<String, String> overrides) {
        return new StackContext(stackName, region, accountId, sqsEndpoint, overrides);
    }
}
