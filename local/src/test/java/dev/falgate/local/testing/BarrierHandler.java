package dev.falgate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each batch waits at a barrier of {@link #PARTIES}: the barrier opens only if that many
 * batches are in the handler at once. Counts the batches that met it and those that gave up.
 */
public final class BarrierHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final int PARTIES = 3;
    public static final CyclicBarrier BARRIER = new CyclicBarrier(PARTIES);
    public static final AtomicInteger MET = new AtomicInteger();
    public static final AtomicInteger GAVE_UP = new AtomicInteger();

    public BarrierHandler() {
        this(System.getenv());
    }

    public BarrierHandler(Map<String, String> env) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        try {
            BARRIER.await(10, TimeUnit.SECONDS);
            MET.incrementAndGet();
        } catch (TimeoutException | BrokenBarrierException e) {
            GAVE_UP.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new SQSBatchResponse(List.of());
    }
}
