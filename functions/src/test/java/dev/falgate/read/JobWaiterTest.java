package dev.falgate.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.falgate.http.ApiException;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code Prefer: wait} and {@code ?wait=N}: their grammar, the budget, and reads that back off until the job ends. */
class JobWaiterTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String ID = "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2W";

    private Instant now = T0;
    private final List<Duration> pauses = new ArrayList<>();
    private final Job job = Job.create(ID, "acme", "fal-ai/post-processing/sharpen", Json.object(), null, T0,
            T0.plusSeconds(900), T0.plusSeconds(180));
    private final JobRepository jobs = mock(JobRepository.class);
    private int reads;

    /** A clock the pauses move forward, and a job that succeeds at read {@code endsAtRead} (0: never). */
    private JobWaiter waiter(int endsAtRead) {
        when(jobs.find("acme", ID)).thenAnswer(i -> {
            if (++reads == endsAtRead) {
                job.moveTo(JobStatus.SUCCEEDED, "webhook", now);
            }
            return Optional.of(job);
        });
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now; }
        };
        return new JobWaiter(jobs, clock, d -> {
            pauses.add(d);
            now = now.plus(d);
        });
    }

    @Test
    void returnsTheJobOnceItHasEndedWithPausesGrowingFromTenMilliseconds() {
        Optional<Job> done = waiter(4).awaitEnd("acme", ID, Duration.ofSeconds(10));

        assertThat(done).map(Job::status).contains(JobStatus.SUCCEEDED);
        assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(15), Duration.ofNanos(22_500_000));
    }

    @Test
    void seesAnEndWithin50msDuringTheFirstTenSecondsThenPausesGrowTo100ms() {
        Optional<Job> done = waiter(0).awaitEnd("acme", ID, Duration.ofSeconds(25));

        assertThat(done).isEmpty();
        assertThat(Duration.between(T0, now)).isEqualTo(Duration.ofSeconds(25));
        Duration waited = Duration.ZERO;
        for (Duration pause : pauses) {
            Duration bound = waited.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofMillis(50) : Duration.ofMillis(100);
            assertThat(pause).as("pause after %s", waited).isLessThanOrEqualTo(bound);
            waited = waited.plus(pause);
        }
        assertThat(pauses.get(pauses.size() - 2)).as("the last full pause").isEqualTo(Duration.ofMillis(100));
        assertThat(reads).as("about 350 reads for a full wait, no busy loop").isBetween(330, 370);
    }

    @Test
    void latestGivesThePendingJobWhenTheTimeRunsOutAndNothingForAMissingJob() {
        assertThat(waiter(0).latest("acme", ID, Duration.ofSeconds(2))).map(Job::status).contains(JobStatus.QUEUED);
        assertThat(Duration.between(T0, now)).isEqualTo(Duration.ofSeconds(2));

        pauses.clear();
        assertThat(waiter(0).latest("acme", "job_01JDQ7V3K8Y9ZC2M4N6P8R0T2X", Duration.ofSeconds(2))).isEmpty();
        assertThat(pauses).as("a missing job is answered at the first read").isEmpty();
    }

    @Test
    void theBudgetIsTheWaitAskedCutToTheFunctionsTimeLeftMinusTheMargin() {
        assertThat(JobWaiter.budget(Duration.ofSeconds(10), Duration.ofSeconds(29))).isEqualTo(Duration.ofSeconds(10));
        assertThat(JobWaiter.budget(Duration.ofSeconds(25), Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(17));
        assertThat(JobWaiter.budget(Duration.ofSeconds(25), Duration.ofSeconds(2))).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsTheWaitQueryParameterWithTheSameBoundsNamingWait() {
        assertThat(WaitPreference.fromQuery(Optional.empty())).isEmpty();
        assertThat(WaitPreference.fromQuery(Optional.of("1"))).contains(Duration.ofSeconds(1));
        assertThat(WaitPreference.fromQuery(Optional.of("25"))).contains(Duration.ofSeconds(25));
        for (String bad : List.of("0", "26", "soon", "1.5", "", "-1")) {
            assertThatThrownBy(() -> WaitPreference.fromQuery(Optional.of(bad))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("wait"));
                    });
        }
    }

    @Test
    void readsTheWaitPreferenceAsRfc7240Says() {
        assertThat(WaitPreference.parse(Optional.empty())).isEmpty();
        assertThat(WaitPreference.parse(Optional.of("respond-async"))).isEmpty();
        assertThat(WaitPreference.parse(Optional.of("wait"))).contains(Duration.ofSeconds(25));
        assertThat(WaitPreference.parse(Optional.of("WAIT=10"))).contains(Duration.ofSeconds(10));
        assertThat(WaitPreference.parse(Optional.of("respond-async, wait = \"5\"; x=y"))).contains(Duration.ofSeconds(5));
        for (String bad : List.of("wait=0", "wait=26", "wait=soon", "wait=1.5", "wait=")) {
            assertThatThrownBy(() -> WaitPreference.parse(Optional.of(bad))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.details()).singleElement().satisfies(d -> assertThat(d.field()).isEqualTo("Prefer"));
                    });
        }
    }
}
