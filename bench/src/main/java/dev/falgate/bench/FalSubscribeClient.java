package dev.falgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * fal's own JavaScript client in one long-lived Node process ({@code bench/js/subscribe.mjs}, the
 * pinned {@code @fal-ai/client}), pointed at an emulator: a command per line in, an answer per
 * line out, so every run finds the client warm, as an application's would be.
 */
final class FalSubscribeClient implements AutoCloseable {
    private final Process node;
    private final Writer commands;
    private final BufferedReader answers;

    private FalSubscribeClient(Process node) {
        this.node = node;
        this.commands = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    /** @param jsDir {@code bench/js}, its {@code node_modules} installed ({@code bench/run} runs {@code npm ci}) */
    static FalSubscribeClient start(Path jsDir, URI emulator, String falKey) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("node", "subscribe.mjs").directory(jsDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("FAL_KEY", falKey);
        builder.environment().put("FAL_PROXY_URL", emulator.resolve("/api/fal/proxy").toString());
        return new FalSubscribeClient(builder.start());
    }

    /** {@code fal.storage.upload} of a PNG: its URL on the emulator's CDN. */
    String upload(byte[] png) throws IOException {
        ObjectNode command = LoadBench.JSON.createObjectNode().put("upload", Base64.getEncoder().encodeToString(png));
        return ask(command).get("url").asText();
    }

    /** {@code fal.subscribe(model, {input})}: the milliseconds until it resolved with the result. */
    double subscribe(String model, JsonNode input) throws IOException {
        ObjectNode command = LoadBench.JSON.createObjectNode().put("model", model);
        command.set("input", input);
        return ask(command).get("ms").asDouble();
    }

    private JsonNode ask(ObjectNode command) throws IOException {
        commands.write(LoadBench.JSON.writeValueAsString(command) + "\n");
        commands.flush();
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the Node client closed its output (alive: " + node.isAlive() + "); its stderr is above");
        }
        JsonNode answer = LoadBench.JSON.readTree(line);
        if (answer.has("error")) {
            throw new IOException("fal's client failed: " + answer.get("error").asText());
        }
        return answer;
    }

    @Override
    public void close() {
        node.destroy();
    }
}
