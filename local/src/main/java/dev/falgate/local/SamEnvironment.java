package dev.falgate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.falgate.local.template.FunctionDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code sam local} needs to run falgate's functions in containers against the embedded
 * stack, exactly as deployed: the secrets the stack serves through its Secrets Manager stand-in
 * (instead of the direct values the in-JVM handlers get), and the {@code --env-vars} file that
 * points every function at the stack's endpoints as the container sees them.
 */
public final class SamEnvironment {
    /** Name of the {@code --env-vars} file {@code ./falgate local} writes into its state directory. */
    public static final String FILE_NAME = "sam-env.json";
    /**
     * How a container reaches the host's loopback: Docker Desktop's name for it; with podman
     * (slirp4netns, host loopback allowed) {@code --add-host host.docker.internal:10.0.2.2}.
     */
    public static final String DEFAULT_CONTAINER_HOST = "host.docker.internal";
    /** Each secret's id variable (read on AWS) and the direct variable the in-JVM handlers get instead. */
    static final Map<String, String> SECRET_VARIABLES = Map.of(
            "FAL_KEY_SECRET_ID", "FAL_KEY",
            "CURSOR_SECRET_ID", "CURSOR_SECRET",
            "WEBHOOK_SECRET_ID", "WEBHOOK_SECRET");
    private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "localhost");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SamEnvironment() {
    }

    /** Secret id (as the template names it) to the value the local stack uses. */
    static Map<String, String> secretsById(List<FunctionDef> functions, Map<String, String> localKeys) {
        Map<String, String> secrets = new TreeMap<>();
        for (FunctionDef function : functions) {
            SECRET_VARIABLES.forEach((idVariable, directVariable) -> {
                String id = function.environment().get(idVariable);
                String value = localKeys.get(directVariable);
                if (id != null && !id.isBlank() && value != null) {
                    secrets.put(id, value);
                }
            });
        }
        return secrets;
    }

    /**
     * The {@code --env-vars} document: for each function, every variable the template declares
     * (SAM passes no others), valued as the in-JVM handler's, with loopback URLs as seen from a
     * container on {@code containerHost} and Secrets Manager at the stand-in.
     */
    public static Map<String, Map<String, String>> envVars(LocalStack stack, String containerHost) {
        Map<String, Map<String, String>> file = new TreeMap<>();
        for (FunctionDef function : stack.template().functions()) {
            Map<String, String> local = stack.environment(function.logicalId());
            Map<String, String> env = new LinkedHashMap<>();
            for (String name : function.environment().keySet()) {
                env.put(name, forContainer(local.getOrDefault(name, function.environment().get(name)), containerHost));
            }
            env.put("FALGATE_ENDPOINT_SECRETSMANAGER",
                    forContainer(stack.secretsManagerEndpoint().toString(), containerHost));
            env.computeIfPresent("FAL_CDN_HOSTS", (name, hosts) -> hosts + "," + containerHost);
            // presigned URLs are used on the host (fal, browsers, curl), not in the container
            env.computeIfPresent("FALGATE_PUBLIC_S3_ENDPOINT", (name, old) -> stack.endpoints().s3().toString());
            // fal (the emulator, on this host) calls back the stack's own API: derived from a sample
            // event's host, the webhook would name API Gateway's public one
            env.computeIfPresent("WEBHOOK_BASE_URL", (name, old) -> old.isBlank() ? stack.apiUrl().toString() : old);
            file.put(function.logicalId(), env);
        }
        return file;
    }

    /** Writes {@link #envVars} to {@code file} (no secret in it: the functions fetch theirs). */
    public static Path write(LocalStack stack, Path file, String containerHost) {
        try {
            JSON.writeValue(file.toFile(), envVars(stack, containerHost));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String forContainer(String value, String containerHost) {
        String out = value;
        for (String loopback : LOOPBACK_HOSTS) {
            out = out.replace("://" + loopback + ":", "://" + containerHost + ":");
        }
        return out;
    }

    /** The banner's lines: where the file is and the commands that use it (README, "Testing with sam local"). */
    static List<String> usage(Path file) {
        return List.of(file + "   (the --env-vars file: every function at this stack, secrets from its Secrets Manager)",
                "./falgate keys create --tenant demo --events   (.falgate/events: the sample events with a key)",
                "./falgate sam build && ./falgate sam local start-api --port 3001 --env-vars " + file
                        + " --skip-pull-image --add-host " + DEFAULT_CONTAINER_HOST + ":10.0.2.2",
                "(podman, after ./falgate sam-image; with Docker Desktop: without the last two flags)");
    }
}
