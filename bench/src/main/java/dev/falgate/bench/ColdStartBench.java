package dev.falgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.config.SecretSource;
import dev.falgate.emulator.FalEmulator;
import dev.falgate.emulator.FalEmulatorConfig;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.jobs.JobRepository;
import dev.falgate.local.ApiKey;
import dev.falgate.local.LocalStack;
import dev.falgate.local.LocalStackConfig;
import dev.falgate.local.fal.EmbeddedFal;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Cold-start benchmark (issue 12.4), outside CI: against an embedded stack, each handler's INIT
 * plus first invocation in a fresh JVM on the shaded Lambda jar, as a ratio to a bare handler
 * making one SDK v2 DynamoDB call (median of {@code pairs} alternating pairs); then, per handler,
 * the classes the first invocation loads after the SnapStart primer ran (and without it), and
 * the artifact's size. Arguments {@code name=value}: {@code pairs=7}, {@code handlers=all|Submit,Read…},
 * {@code jvm="…"} (the children's JVM flags; default: the template's JAVA_TOOL_OPTIONS),
 * {@code jar=…}, {@code template=…}.
 */
public final class ColdStartBench {
    private static final String KEY = "fg_coldstart_0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBMIT_MODEL = "fal-ai/post-processing/sharpen";
    /** A 2x2 PNG as a data: URI (the submit stores it as an upload). */
    private static final String PNG_DATA_URI = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNkYGD4z8DAwMDAxMDAAAAVgAIBPzR2mQAAAABJRU5ErkJggg==";

    record Case(String name, String function, String handler, Properties event) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path root = Path.of(a.getOrDefault("root", ".")).toAbsolutePath();
        Path jar = Path.of(a.getOrDefault("jar", root.resolve("functions/target/falgate-functions-0.1.0-SNAPSHOT-lambda.jar").toString()));
        int pairs = Integer.parseInt(a.getOrDefault("pairs", "7"));
        PrintStream out = System.out;
        Path handlerLog = root.resolve("bench/target/coldstart-stack.log");
        System.setOut(new PrintStream(Files.newOutputStream(handlerLog), true));
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.falgate.local.access"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        FalEmulator fal = FalEmulator.start(FalEmulatorConfig.builder().port(0).speed(10).build());
        int exit;
        try (LocalStack stack = LocalStack.start(LocalStackConfig.builder(root.resolve(a.getOrDefault("template", "template.yaml")))
                .apiKeys(List.of(new ApiKey("bench", KEY))).fal(EmbeddedFal.borrowing(fal, 10)).build())) {
            exit = new ColdStartBench(stack, fal, out, jar, root).run(pairs, a.getOrDefault("handlers", "all"), a.get("jvm"));
        } finally {
            fal.close();
        }
        System.exit(exit);
    }

    private final LocalStack stack;
    private final FalEmulator fal;
    private final PrintStream out;
    private final Path jar;
    private final Path work;
    private final Path childClasses;

    ColdStartBench(LocalStack stack, FalEmulator fal, PrintStream out, Path jar, Path root) throws IOException {
        this.stack = stack;
        this.fal = fal;
        this.out = out;
        this.jar = jar;
        this.work = Files.createDirectories(root.resolve("bench/target/coldstart"));
        this.childClasses = childClasses(Path.of(System.getProperty("bench.classes", "bench/target/classes")));
    }

    /**
     * The child's own classes, apart from the bench's other resources (its global SDK
     * interceptor must not be on the child's class path).
     */
    private Path childClasses(Path benchClasses) throws IOException {
        Path dir = Files.createDirectories(work.resolve("child-classes/dev/falgate/bench"));
        try (var files = Files.list(benchClasses.resolve("dev/falgate/bench"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("(ColdStartChild|BareDynamoDbHandler|BareSubmitCallsHandler).*\\.class")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return work.resolve("child-classes");
    }

    int run(int pairs, String which, String jvmFlags) throws Exception {
        String flags = jvmFlags != null ? jvmFlags : stack.environment("ReadFunction").getOrDefault("JAVA_TOOL_OPTIONS", "");
        out.printf("coldstart: artifact %s, %d bytes (%.2f MB, %.2f MiB)%n", jar.getFileName(), Files.size(jar),
                Files.size(jar) / 1e6, Files.size(jar) / 1048576.0);
        out.printf("coldstart: %d cores, load average %s; child JVM flags: %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).trim(), flags.isBlank() ? "(none)" : flags);
        String jobId = fixtureJob();
        out.println("coldstart: fixture job " + jobId + " (succeeded), first invocations read it, poll it, get its webhook");
        List<Case> cases = cases(jobId).stream().filter(c -> "all".equals(which)
                || Arrays.asList(which.split(",")).contains(c.name())).toList();
        Properties bare = new Properties();
        bare.setProperty("kind", "map");
        Case bareCase = new Case("bare", "ReadFunction", BareDynamoDbHandler.class.getName(), bare);
        // submit's floor: a bare handler making the calls its first request must make (printed beside, not instead)
        Case bareSubmit = new Case("bare-submit", "SubmitFunction", BareSubmitCallsHandler.class.getName(), bare);
        List<String> flagList = flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
        int failures = 0;
        out.println("coldstart: INIT + first invocation, fresh JVM each, ratio to the bare DynamoDB handler (median of "
                + pairs + " pairs)");
        for (Case c : cases) {
            List<Double> ratios = new ArrayList<>();
            List<Double> mine = new ArrayList<>();
            List<Double> bares = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            List<Double> floorRatios = new ArrayList<>();
            List<Double> floorCpuRatios = new ArrayList<>();
            String result = "";
            for (int i = 0; i < pairs; i++) {
                Run b = child(bareCase, flagList, false);
                Run r = child(c, flagList, false);
                if ("submit".equals(c.name())) {
                    Run f = child(bareSubmit, flagList, false);
                    floorRatios.add(r.total() / f.total());
                    floorCpuRatios.add(r.cpuMs() / f.cpuMs());
                }
                result = r.result();
                bares.add(b.total());
                mine.add(r.total());
                ratios.add(r.total() / b.total());
                cpuRatios.add(r.cpuMs() / b.cpuMs());
                cpu.add(r.cpuMs());
            }
            out.printf("coldstart:   %-10s %7.0f ms vs bare %5.0f ms  ratio %.2fx;  process CPU %5.0f ms, ratio %.2fx  (wall ratios %s; first answer %s)%n",
                    c.name(), median(mine), median(bares), median(ratios), median(cpu), median(cpuRatios),
                    ratios.stream().map(x -> String.format("%.2f", x)).collect(Collectors.joining(" ")), result);
            if (!floorRatios.isEmpty()) {
                out.printf("coldstart:     submit to a bare handler making submit's calls (GetItem, PutObject, PutItem,"
                        + " fal POST): ratio %.2fx; process CPU ratio %.2fx%n", median(floorRatios), median(floorCpuRatios));
            }
        }
        out.println("coldstart: classes loaded by the first invocation (-Xlog:class+load, between markers)");
        for (Case c : cases) {
            ClassCount unprimed = classes(c, flagList, false);
            ClassCount primed = classes(c, flagList, true);
            out.printf("coldstart:   %-10s %4d after the primer ran (%4d without priming)%s%n", c.name(), primed.count(),
                    unprimed.count(), primed.count() > 50 ? "  OVER 50" : "");
            out.println("coldstart:     " + primed.primer());
            if (primed.count() > 0) {
                out.println("coldstart:     by package: " + primed.byPackage());
            }
        }
        return failures;
    }

    record Run(double initMs, double firstMs, double cpuMs, String result) {
        double total() {
            return initMs + firstMs;
        }
    }

    record ClassCount(int count, String byPackage, String primer) {
    }

    private Run child(Case c, List<String> flags, boolean classes) throws Exception {
        return parse(launch(c, flags, classes, null));
    }

    private ClassCount classes(Case c, List<String> flags, boolean prime) throws Exception {
        Path log = work.resolve(c.name() + (prime ? "-primed" : "-unprimed") + "-classes.log");
        Files.deleteIfExists(log);
        String output = launch(c, flags, true, List.of("-Xlog:class+load=info:file=" + log), prime);
        List<String> lines = Files.readAllLines(log);
        int begin = indexOf(lines, "FirstRequestBegins");
        int end = indexOf(lines, "FirstRequestEnds");
        if (begin < 0 || end < 0) {
            throw new IllegalStateException("markers not found for " + c.name() + ": " + output);
        }
        List<String> loaded = lines.subList(begin + 1, end).stream().map(ColdStartBench::className).toList();
        Files.write(work.resolve(c.name() + (prime ? "-primed" : "-unprimed") + "-first-request.txt"), loaded);
        Map<String, Long> byPackage = new TreeMap<>(loaded.stream().collect(Collectors.groupingBy(
                n -> n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n, Collectors.counting())));
        String top = byPackage.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String primer = output.lines().filter(l -> l.startsWith("coldstart-child: primer")).findFirst()
                .map(l -> l.substring("coldstart-child: ".length())).orElse("");
        return new ClassCount(loaded.size(), top, primer);
    }

    private String launch(Case c, List<String> flags, boolean classes, List<String> extra) throws Exception {
        return launch(c, flags, classes, extra, false);
    }

    private String launch(Case c, List<String> flags, boolean classesMode, List<String> extra, boolean prime) throws Exception {
        Properties spec = new Properties();
        spec.putAll(c.event());
        spec.setProperty("handler", c.handler());
        stack.environment(c.function()).forEach((k, v) -> spec.setProperty("env." + k, v));
        Path file = work.resolve(c.name() + ".properties");
        try (Writer w = Files.newBufferedWriter(file)) {
            spec.store(w, "cold-start case " + c.name());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.add("-Djava.awt.headless=true");
        if (extra != null) {
            cmd.addAll(extra);
        }
        cmd.addAll(List.of("-cp", jar + java.io.File.pathSeparator + childClasses,
                ColdStartChild.class.getName(), file.toString(), prime ? "primed" : classesMode ? "classes" : "time"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || !output.contains("coldstart-child: init_ms=")) {
            throw new IllegalStateException(c.name() + " child failed:\n" + output);
        }
        return output;
    }

    private static Run parse(String output) {
        String line = output.lines().filter(l -> l.startsWith("coldstart-child: init_ms=")).findFirst().orElseThrow();
        String[] parts = line.split(" ");
        return new Run(Double.parseDouble(parts[1].substring("init_ms=".length())),
                Double.parseDouble(parts[2].substring("first_ms=".length())),
                Double.parseDouble(parts[3].substring("cpu_ms=".length())), line.substring(line.indexOf("result=") + 7));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        return -1;
    }

    /** "[info][class,load] java.lang.Foo source: …" → java.lang.Foo */
    private static String className(String line) {
        String s = line.substring(line.indexOf("] ", line.indexOf("class,load")) + 2);
        return s.contains(" ") ? s.substring(0, s.indexOf(' ')) : s;
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    /** A job submitted through the API and awaited until it succeeded. */
    private String fixtureJob() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = submitBody();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/jobs"))
                .header("authorization", "Bearer " + KEY).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("fixture submit: " + r.statusCode() + " " + r.body());
        }
        String id = JSON.readTree(r.body()).path("id").asText();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            JsonNode job = JSON.readTree(http.send(HttpRequest.newBuilder(stack.apiUrl().resolve("/v1/jobs/" + id))
                    .header("authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
            if ("succeeded".equals(job.path("status").asText())) {
                return id;
            }
            if (job.path("status").asText().matches("failed|canceled")) {
                throw new IllegalStateException("fixture job ended " + job);
            }
            Thread.sleep(200); // polling the API with a deadline (bench fixture, not a test)
        }
        throw new IllegalStateException("fixture job did not finish in 120 s");
    }

    private static String submitBody() throws IOException {
        return JSON.writeValueAsString(Map.of("model", SUBMIT_MODEL, "input", Map.of("image_url", PNG_DATA_URI)));
    }

    private List<Case> cases(String jobId) throws Exception {
        String auth = "Bearer " + KEY;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("read", "ReadFunction", "dev.falgate.read.ReadHandler", http("GET /v1/jobs/{id}",
                "/v1/jobs/" + jobId, Map.of("param.id", jobId, "header.authorization", auth), null)));
        cases.add(new Case("submit", "SubmitFunction", "dev.falgate.submit.SubmitHandler", http("POST /v1/jobs",
                "/v1/jobs", Map.of("header.authorization", auth, "header.content-type", "application/json",
                        "header.host", stack.apiUrl().getAuthority()), submitBody())));
        cases.add(new Case("callback", "CallbackFunction", "dev.falgate.callback.CallbackHandler", callback(jobId)));
        cases.add(new Case("poller", "PollerFunction", "dev.falgate.poller.PollerHandler",
                sqs("{\"job_id\":\"" + jobId + "\",\"reason\":\"POLL\",\"attempt\":1}")));
        cases.add(new Case("webhook", "WebhookFunction", "dev.falgate.webhooks.WebhookHandler",
                sqs(dev.falgate.webhooks.WebhookMessage.first(jobId, "job.succeeded", Instant.now()).toJson())));
        cases.add(new Case("deadletter", "DeadLetterFunction", "dev.falgate.poller.DeadLetterHandler",
                sqs("{\"job_id\":\"" + jobId + "\",\"reason\":\"POLL\",\"attempt\":5}")));
        Properties sweep = new Properties();
        sweep.setProperty("kind", "map");
        cases.add(new Case("sweep", "SweeperFunction", "dev.falgate.poller.SweepHandler", sweep));
        return cases;
    }

    /** fal's webhook for the fixture job, genuinely signed by the emulator, with the job's URL token. */
    private Properties callback(String jobId) throws Exception {
        Map<String, String> env = stack.environment("CallbackFunction");
        String requestId = new JobRepository(stack.dynamoDb(), stack.jobsTable().orElseThrow(), 30).find(jobId)
                .orElseThrow().falRequestId();
        String body = JSON.writeValueAsString(Map.of("request_id", requestId, "status", "OK", "payload",
                Map.of("images", List.of())));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("param.id", jobId);
        props.put("query.token", new WebhookTokens(SecretSource.of(env.get("WEBHOOK_SECRET"))).tokenFor(jobId));
        props.put("header.content-type", "application/json");
        fal.webhookHeaders(requestId, Long.toString(Instant.now().getEpochSecond()), body.getBytes(StandardCharsets.UTF_8))
                .forEach((k, v) -> props.put("header." + k, v));
        return http("POST /v1/webhooks/fal/{id}", "/v1/webhooks/fal/" + jobId, props, body);
    }

    private static Properties http(String routeKey, String path, Map<String, String> props, String body) {
        Properties p = new Properties();
        p.setProperty("kind", "http");
        p.setProperty("routeKey", routeKey);
        p.setProperty("path", path);
        props.forEach(p::setProperty);
        if (body != null) {
            p.setProperty("body", body);
        }
        return p;
    }

    private static Properties sqs(String body) {
        Properties p = new Properties();
        p.setProperty("kind", "sqs");
        p.setProperty("body", body);
        return p;
    }

}
