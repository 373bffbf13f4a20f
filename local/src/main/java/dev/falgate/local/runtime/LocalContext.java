package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.falgate.local.template.FunctionDef;
import java.time.Instant;

/** The Lambda {@link Context} of one local invocation; the remaining time counts down to the function's Timeout. */
final class LocalContext implements Context {
    private final FunctionDef function;
    private final String functionArn;
    private final String requestId;
    private final Instant deadline;
    private final LambdaLogger logger;

    LocalContext(FunctionDef function, String functionArn, String requestId, Instant deadline) {
        this.function = function;
        this.functionArn = functionArn;
        this.requestId = requestId;
        this.deadline = deadline;
        this.logger = new StdoutLambdaLogger(function.logicalId(), requestId);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function.functionName();
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + function.logicalId();
    }

    @Override
    public String getFunctionName() {
        return function.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline.toEpochMilli() - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
