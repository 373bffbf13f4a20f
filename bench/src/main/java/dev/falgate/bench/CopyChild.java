package dev.falgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.Services;
import dev.falgate.config.AwsClients;
import dev.falgate.fal.FalClient;
import dev.falgate.jobs.JobFile;
import dev.falgate.local.LocalAws;
import dev.falgate.storage.BlobStore;
import dev.falgate.outputs.OutputCollector;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copy benchmark, child JVM (started with {@code -Xmx128m}): the two legs alone, a plain
 * download of the file to nowhere and a plain parallel multipart upload of the same bytes to the
 * same store ({@link UploadLeg}), each before and after the copy; then the callback path's own copy ({@link OutputCollector#collect}, which streams
 * through {@code BlobStore.putStream}, a multipart upload of 8 MiB parts, 4 in flight), built by
 * {@link Services} from a function environment as the poller builds it; then the S3 object is
 * streamed back and hashed. Exit 1 when the hashes differ, 2 on any other failure.
 */
public final class CopyChild {
    private static final double MIB = 1024 * 1024;
    /** The copy's own part size and parts in flight (StreamingCopy.PART_SIZE, PARTS_IN_FLIGHT). */
    private static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int IN_FLIGHT = 4;
    /** Issue 13: a streamed copy takes at most this many times the slower leg. */
    private static final double TARGET = 1.25;
    public static void main(String[] args) {
        try {
            System.exit(run(URI.create(args[0]), args[1], args[2], args[3], Long.parseLong(args[4]), args[5]));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    static int run(URI source, String s3Endpoint, String bucket, String expectedSha, long size, String xmx)
            throws Exception {
        HeapWatch heap = HeapWatch.start();
        HttpClient http = FalClient.defaultHttpClient();

        Map<String, String> env = Map.of(
                "FILES_BUCKET", bucket,
                "FALGATE_ENDPOINT_S3", s3Endpoint,
                "FALGATE_S3_PATH_STYLE", "true",
                "AWS_REGION", LocalAws.REGION,
                "AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_ACCESS_KEY,
                "FAL_CDN_HOSTS", source.getHost());
        Services services = new Services(env);
        BlobStore blobs = services.blobs();
        var s3 = new AwsClients(services.settings()).s3();
        double plain1 = plainDownload(http, source, size);
        double upload1 = UploadLeg.run(s3, bucket, "bench/upload-leg.glb", size, PART_SIZE, IN_FLIGHT);
        System.gc();
        heap.resetPools();
        OutputCollector collector = new OutputCollector(blobs, http, services.settings().falCdnHosts(),
                services.settings().downloadIdleTimeout());
        ObjectNode result = new ObjectMapper().createObjectNode();
        result.putObject("model_mesh").put("url", source.toString()).put("file_name", "model.glb")
                .put("content_type", "model/gltf-binary").put("file_size", size);
        AwsCallCounter.reset();
        long t0 = System.nanoTime();
        OutputCollector.Collected collected = collector.collect("bench", "job_copy_bench", result);
        double copySeconds = (System.nanoTime() - t0) / 1e9;
        long copyHeap = heap.peakUsed();
        long copyAfterGc = heap.peakAfterGc();
        Map<String, Long> calls = AwsCallCounter.snapshot();
        Map<String, Long> nanos = AwsCallCounter.nanos();
        JobFile file = collected.files().get(0);
        double copy = size / 1e6 / copySeconds;

        double plain2 = plainDownload(http, source, size);
        double upload2 = UploadLeg.run(s3, bucket, "bench/upload-leg.glb", size, PART_SIZE, IN_FLIGHT);

        long t1 = System.nanoTime();
        String actual;
        try (InputStream in = blobs.open(file.key())) {
            actual = GlbSource.sha256(in);
        }
        double verifySeconds = (System.nanoTime() - t1) / 1e9;
        heap.stop();

        double plain = (plain1 + plain2) / 2;
        long max = Runtime.getRuntime().maxMemory();
        System.out.printf("copy-bench: object s3://%s/%s, %d bytes, %s%n", bucket, file.key(), file.size(), file.contentType());
        System.out.printf("copy-bench: plain download (HTTP body to nowhere): %.0f MB/s before, %.0f MB/s after the copy (mean %.0f)%n",
                plain1, plain2, plain);
        System.out.printf("copy-bench: falgate copy (OutputCollector -> BlobStore.putStream, multipart): %.0f MB/s (%.1f s)%n",
                copy, copySeconds);
        System.out.printf("copy-bench: ratio copy/plain download: %.2f%n", copy / plain);
        double downloadSeconds = size / 1e6 / plain;
        double uploadSeconds = (upload1 + upload2) / 2;
        System.out.printf("copy-bench: legs alone: plain download %.1f s, plain parallel multipart upload "
                + "(%d MiB parts, %d in flight) %.1f s before, %.1f s after (mean %.1f s, %.0f MB/s)%n",
                downloadSeconds, PART_SIZE >> 20, IN_FLIGHT, upload1, upload2, uploadSeconds, size / 1e6 / uploadSeconds);
        double slower = Math.max(downloadSeconds, uploadSeconds);
        double legRatio = copySeconds / slower;
        System.out.printf("copy-bench: copy %.1f s / slower leg (%s) %.1f s = %.2fx (target <= %.2fx)%n",
                copySeconds, uploadSeconds >= downloadSeconds ? "upload" : "download", slower, legRatio, TARGET);
        double inS3 = 0;
        for (var e : calls.entrySet()) {
            double sec = nanos.getOrDefault(e.getKey(), 0L) / 1e9;
            inS3 += sec;
            System.out.printf("copy-bench:   S3 %-28s %4d calls, %5.1f s%n", e.getKey().substring(e.getKey().indexOf('|') + 1),
                    e.getValue(), sec);
        }
        System.out.printf("copy-bench:   of the copy's %.1f s: %.1f s in S3 calls, summed over the %d upload threads%n",
                copySeconds, inS3, IN_FLIGHT);
        System.out.printf("copy-bench: peak heap used during the copy: %.1f MiB (sampled every 5 ms; garbage included); "
                + "from the copy to the end %.1f MiB; -Xmx%s = %.1f MiB usable%n",
                copyHeap / MIB, heap.peakUsed() / MIB, xmx, max / MIB);
        System.out.printf("copy-bench: heap in use just after a GC, at most, during the copy: %.1f MiB (the live data)%n",
                copyAfterGc / MIB);
        System.out.printf("copy-bench: read back %.0f MB/s; sha256 source %s%n", size / 1e6 / verifySeconds, expectedSha);
        System.out.printf("copy-bench: sha256 S3 copy              %s%n", actual);
        if (!actual.equals(expectedSha) || file.size() != size) {
            System.out.println("copy-bench: FAIL: the S3 copy differs from the source");
            return 1;
        }
        System.out.println("copy-bench: OK: identical");
        if (legRatio > TARGET) {
            System.out.printf("copy-bench: SLOW: the copy took %.2fx the slower leg (target <= %.2fx)%n", legRatio, TARGET);
        }
        return 0;
    }

    private static double plainDownload(HttpClient http, URI source, long size) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(source).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int k; (k = in.read(buf)) > 0; ) {
                n += k;
            }
        }
        if (r.statusCode() != 200 || n != size) {
            throw new IllegalStateException("plain download: HTTP " + r.statusCode() + ", " + n + " bytes");
        }
        return size / 1e6 / ((System.nanoTime() - t0) / 1e9);
    }

    /** Heap used, sampled every 5 ms, and the heap pools' own peaks (an upper bound: peaks of different moments). */
    static final class HeapWatch {
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private volatile boolean running = true;
        private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();

        static HeapWatch start() {
            HeapWatch w = new HeapWatch();
            Thread t = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (w.running) {
                    w.peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    w.peakAfterGc.accumulateAndGet(w.pools.stream().map(MemoryPoolMXBean::getCollectionUsage)
                            .filter(java.util.Objects::nonNull).mapToLong(u -> u.getUsed()).sum(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-watch");
            t.setDaemon(true);
            t.start();
            return w;
        }

        void resetPools() {
            pools.forEach(MemoryPoolMXBean::resetPeakUsage);
            peak.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            peakAfterGc.set(0);
        }

        /** The most heap left in use just after a collection (what the copy really holds). */
        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long peakUsed() {
            return peak.get();
        }

        void stop() {
            running = false;
        }
    }
}
