package dev.falgate.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A download body whose every read must see a byte within {@code idle}, else the stream is
 * closed and the read fails with an {@link IOException}. The JDK client's request timeout
 * covers the response headers only, so without this a CDN that stalls mid-body blocks the
 * copy until the Lambda itself times out. Time spent outside a read (uploading a part to S3)
 * does not count.
 */
public final class IdleTimeoutInputStream extends InputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "falgate-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final InputStream in;
    private final Duration idle;
    private final ScheduledFuture<?> watch;
    /** When the read in progress started (System.nanoTime), or 0 between reads. */
    private volatile long readingSince;
    private volatile boolean timedOut;

    public IdleTimeoutInputStream(InputStream in, Duration idle) {
        this.in = in;
        this.idle = idle;
        long period = Math.max(10, idle.toMillis() / 5);
        this.watch = WATCHDOG.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfStalled() {
        long since = readingSince;
        if (since != 0 && System.nanoTime() - since > idle.toNanos()) {
            timedOut = true;
            closeQuietly();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        readingSince = System.nanoTime();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            throw timedOut ? stalled(e) : e;
        } finally {
            readingSince = 0;
        }
        if (timedOut) {
            // closed under us: whatever the read returned (even -1), the body is incomplete
            throw stalled(null);
        }
        return n;
    }

    private IOException stalled(IOException cause) {
        return new IOException("download stalled: no byte for " + idle.toMillis() + " ms", cause);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        watch.cancel(false);
        in.close();
    }

    private void closeQuietly() {
        watch.cancel(false);
        try {
            in.close();
        } catch (IOException ignored) {
            // the read that is waiting fails, which is the point
        }
    }
}
