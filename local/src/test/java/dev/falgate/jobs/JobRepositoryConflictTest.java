package dev.falgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.e2e.TestStack;
import dev.falgate.http.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conditional writes against DynamoDB (Local), not a fake: of two writers holding the same
 * version, exactly one claim wins, and {@link JobRepository#updateFrom} with a stale job reads
 * afresh and decides on what is stored.
 */
class JobRepositoryConflictTest {
    private final TestStack t = TestStack.get();
    private final JobRepository jobs = new JobRepository(t.dynamoDb(), t.jobsTable(), 30);
    private final java.util.List<String> created = new java.util.ArrayList<>();

    /** A job of a tenant no other test lists, never sent anywhere. */
    private Job newJob() {
        Instant now = Instant.now();
        Job job = Job.create(new Ids(java.time.Clock.systemUTC()).job(), "conflicts", "fal-ai/trellis", Json.object(),
                null, now, now.plusSeconds(600), now.plusSeconds(180));
        jobs.create(job);
        created.add(job.id());
        return job;
    }

    /** Ends the jobs, out of the sweep index, so the shared stack's poller and sweeper leave them alone. */
    @org.junit.jupiter.api.AfterEach
    void endJobs() {
        created.forEach(id -> jobs.update(id, j -> {
            j.swept();
            j.fail("test_finished", "ended by the test", "test", Instant.now());
            return true;
        }));
    }

    @Test
    void ofTwoSendersHoldingTheSameVersionExactlyOneClaimsTheJob() {
        Job created = newJob();
        Job first = jobs.find(created.id()).orElseThrow();
        Job second = jobs.find(created.id()).orElseThrow();
        List<Boolean> claims = List.of(first, second).stream()
                .map(j -> {
                    boolean[] won = {false};
                    jobs.updateFrom(j, x -> won[0] = x.claimSubmit(Instant.now()));
                    return won[0];
                }).toList();
        assertThat(claims).containsExactly(true, false);
        Job stored = jobs.find(created.id()).orElseThrow();
        assertThat(stored.submitState()).isEqualTo(Job.SubmitState.SUBMITTING);
        assertThat(stored.submitAttempts()).isEqualTo(1);
        assertThat(stored.sweepAt()).isNull();
    }

    @Test
    void aStaleJobIsReadAfreshBeforeTheChangeIsDecided() {
        Job created = newJob();
        Job stale = jobs.find(created.id()).orElseThrow();
        jobs.update(created.id(), j -> j.moveTo(JobStatus.CANCELED, "cancel", Instant.now()));
        Job after = jobs.updateFrom(stale, j -> j.claimSubmit(Instant.now())).orElseThrow();
        assertThat(after.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(after.submitState()).as("a canceled job is not claimed").isEqualTo(Job.SubmitState.PENDING);
        assertThat(jobs.sweepDue(Instant.now().plusSeconds(3600), 100).stream().map(JobRepository.SweepDue::jobId))
                .as("an ended job leaves the sweep index: nothing is left to send or finish").doesNotContain(created.id());
    }
}
