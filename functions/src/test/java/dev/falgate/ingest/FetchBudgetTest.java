package dev.falgate.ingest;

import static dev.falgate.ingest.FixtureServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.ingest.IngestException.Code;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches of one request drawing on one budget: the deadline and the bytes are shared, not per URL. */
class FetchBudgetTest {
    private static final FetchLimits LIMITS = new FetchLimits(Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofMillis(1000), 4096, 3);

    @TempDir
    Path temp;
    private final FixtureServer fixture = new FixtureServer();
    private UrlFetcher fetcher;

    FetchBudgetTest() throws IOException {
        fixture.route("/slow", e -> {
            Thread.sleep(700);
            send(e, 200, new byte[100]);
        });
        fixture.route("/kb", e -> send(e, 200, new byte[1000]));
    }

    @BeforeEach
    void startFetcher() {
        SafeDnsResolver resolver = new SafeDnsResolver(new FakeDns()).allowingLoopbackHosts(Set.of(FixtureServer.HOST));
        fetcher = new LoopbackOnlySockets().fetcher(LIMITS, resolver, temp);
    }

    @AfterEach
    void stop() {
        fetcher.close();
        fixture.close();
    }

    /** Each alone fits 1 s; the second starts with 300 ms left and ends there as a fetch_timeout. */
    @Test
    void aSecondFetchGetsOnlyWhatTheFirstLeftOfTheDeadline() {
        FetchBudget budget = fetcher.budget(Long.MAX_VALUE);
        fetcher.fetch(fixture.url("/slow"), budget).close();
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.fetch(fixture.url("/slow"), budget))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.code()).isEqualTo(Code.FETCH_TIMEOUT))
                .hasMessageContaining("share 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(600));
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void theBytesAreSharedAndOnceOverNoFurtherFetchStarts() {
        FetchBudget budget = fetcher.budget(1500);
        fetcher.fetch(fixture.url("/kb"), budget).close();
        assertThatThrownBy(() -> fetcher.fetch(fixture.url("/kb"), budget)).isInstanceOf(FetchBudget.Exceeded.class);
        int asked = fixture.requested().size();
        assertThatThrownBy(() -> fetcher.fetch(fixture.url("/kb"), budget)).isInstanceOf(FetchBudget.Exceeded.class);
        assertThat(fixture.requested()).hasSize(asked);
        assertThat(temp).isEmptyDirectory();
    }

    @Test
    void aFetchWithoutABudgetHasTheWholeTotalTimeToItself() {
        fetcher.fetch(fixture.url("/slow")).close();
        fetcher.fetch(fixture.url("/slow")).close();
        assertThat(temp).isEmptyDirectory();
    }
}
