package dev.falgate.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a tool with a deadline and keeps its combined output for the assertion message. */
public final class Processes {
    public record Result(int exit, String output) {
    }

    private Processes() {
    }

    public static Result run(Path dir, Duration within, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        // the output is read on its own thread so a chatty tool never blocks on a full pipe
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(')');
            }
        });
        reader.start();
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(command + " did not finish within " + within + "; output so far:\n" + out);
        }
        reader.join(5000);
        System.out.print(out);
        return new Result(p.exitValue(), out.toString());
    }
}
