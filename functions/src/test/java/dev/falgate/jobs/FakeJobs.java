package dev.falgate.jobs;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.Json;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/** A mocked repository holding one job in memory: {@code update} applies the change to it. */
public final class FakeJobs {
    public static final String JOB_ID = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";

    public final Job job;
    public final JobRepository repository = mock(JobRepository.class);
    public int writes;

    public FakeJobs(String model, Instant created, Instant deadline) {
        ObjectNode input = Json.object().put("image_url", "upload://upl_01JDQ7V3K8Y9ZC2M4N6P8R0T2W");
        job = Job.create(JOB_ID, "acme", model, input, null, created, deadline, created.plusSeconds(180));
        job.version = 1;
        job.setWebhookUrl("https://api.example.test/v1/webhooks/fal/" + JOB_ID);
        when(repository.find(JOB_ID)).thenAnswer(i -> Optional.of(job));
        // both hold the one job: whether the caller knew it or read it, the change applies to it
        when(repository.updateFrom(any(), any())).thenAnswer(i -> apply(i.getArgument(1)));
        when(repository.update(eq(JOB_ID), any())).thenAnswer(i -> apply(i.getArgument(1)));
        when(repository.recordResult(eq(JOB_ID), any(), any(), any(), any(), any()))
                .thenAnswer(i -> recordResult(i.getArgument(1), i.getArgument(2), i.getArgument(3), i.getArgument(4),
                        i.getArgument(5)));
    }

    /** As the conditional UpdateItem: only without a result and, when named, on the job's own request. */
    private JobRepository.ResultWrite recordResult(String requestId, JobRepository.RecordedResult result, String key,
            String inline, Instant at) {
        if (job.hasResult() || (requestId != null && !requestId.equals(job.falRequestId()))) {
            return new JobRepository.ResultWrite(false, job);
        }
        job.recordResult(result.status(), key, result.source(), at);
        job.recordBillableUnits(result.billableUnits());
        job.resultInline = inline;
        job.version++;
        writes++;
        return new JobRepository.ResultWrite(true, job);
    }

    private Optional<Job> apply(Predicate<Job> change) {
        if (change.test(job)) {
            job.version++;
            writes++;
        }
        return Optional.of(job);
    }
}
