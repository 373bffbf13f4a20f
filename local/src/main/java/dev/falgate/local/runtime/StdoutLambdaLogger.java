package dev.falgate.local.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** Lambda's logger writes to the function's log stream; locally that is stdout, prefixed with the function. */
final class StdoutLambdaLogger implements LambdaLogger {
    private final String prefix;

    StdoutLambdaLogger(String function, String requestId) {
        this.prefix = "[" + function + " " + requestId.substring(0, 8) + "] ";
    }

    @Override
    public void log(String message) {
        System.out.println(prefix + message.stripTrailing());
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }
}
