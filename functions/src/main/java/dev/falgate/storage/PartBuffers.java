package dev.falgate.storage;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed pool of part-sized buffers, allocated on first use and reused: the copy's memory is
 * at most {@code count × partSize} whatever the file's size, and taking a buffer waits for an
 * upload to give one back (the download never runs further ahead than the pool).
 */
final class PartBuffers {
    private final int partSize;
    private final int count;
    private final BlockingQueue<byte[]> free;
    private int allocated;

    PartBuffers(int partSize, int count) {
        this.partSize = partSize;
        this.count = count;
        this.free = new ArrayBlockingQueue<>(count);
    }

    /** Counts a buffer the caller allocated itself (the first part's) as one of the pool's. */
    void adopt() {
        allocated++;
    }

    byte[] take() throws InterruptedIOException {
        byte[] buffer = free.poll();
        if (buffer != null) {
            return buffer;
        }
        if (allocated < count) {
            allocated++;
            return new byte[partSize];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a part buffer");
        }
    }

    void give(byte[] buffer) {
        free.add(buffer);
    }
}
