package dev.falgate.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.falgate.local.runtime.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Secrets Manager's {@code GetSecretValue} for the few secrets falgate reads, on loopback, in the
 * AWS JSON 1.1 protocol the SDK speaks ({@code X-Amz-Target: secretsmanager.GetSecretValue}).
 * It lets a function in a {@code sam local} container read its secrets as deployed, with only
 * the endpoint overridden. Any other operation, or an unknown secret, gets Secrets Manager's
 * own error shape, so a wrong secret id fails as it would on AWS.
 */
public final class SecretsManagerStandIn implements AutoCloseable {
    private static final String TARGET_PREFIX = "secretsmanager.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> secretsById;
    private final String region;
    private final String accountId;

    private SecretsManagerStandIn(HttpServer server, Map<String, String> secretsById, String region,
            String accountId) {
        this.server = server;
        this.secretsById = Map.copyOf(secretsById);
        this.region = region;
        this.accountId = accountId;
    }

    /** Port 0: a free one. {@code secretsById}: secret name (or ARN) to its string value. */
    public static SecretsManagerStandIn start(int port, Map<String, String> secretsById, String region,
            String accountId) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            SecretsManagerStandIn standIn = new SecretsManagerStandIn(server, secretsById, region, accountId);
            server.createContext("/", standIn::handle);
            server.setExecutor(Executors.newSingleThreadExecutor(Threads.daemons("falgate-secretsmanager-")));
            server.start();
            return standIn;
        } catch (IOException e) {
            throw PortInUseException.startFailure("the Secrets Manager stand-in", port, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            JsonNode request = JSON.readTree(body.readAllBytes());
            if (!"POST".equals(exchange.getRequestMethod()) || !target.equals(TARGET_PREFIX + "GetSecretValue")) {
                reply(exchange, 400, error("InvalidRequestException", "this stand-in serves GetSecretValue only, not "
                        + target.replace(TARGET_PREFIX, "")));
                return;
            }
            String id = request == null ? "" : request.path("SecretId").asText("");
            String value = secretsById.get(id);
            if (value == null) {
                reply(exchange, 400, error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
                return;
            }
            reply(exchange, 200, secretValue(id, value));
        }
    }

    private ObjectNode secretValue(String id, String value) {
        String name = id.startsWith("arn:") ? id.substring(id.lastIndexOf(':') + 1) : id;
        ObjectNode out = JSON.createObjectNode();
        out.put("ARN", id.startsWith("arn:") ? id
                : "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + name + "-local");
        out.put("Name", name);
        out.put("SecretString", value);
        out.put("VersionId", UUID.nameUUIDFromBytes(value.getBytes(StandardCharsets.UTF_8)).toString());
        out.putArray("VersionStages").add("AWSCURRENT");
        out.put("CreatedDate", 0);
        return out;
    }

    private static ObjectNode error(String type, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        out.put("message", message);
        return out;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        if (status != 200) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", body.path("__type").asText());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    @Override
    public String toString() {
        return "SecretsManagerStandIn[" + endpoint() + ", " + secretsById.size() + " secrets]";
    }
}
