package dev.falgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Runs one fetch that must fail, closing the fetcher, and hands back the failure. */
final class FetchFailure {
    private FetchFailure() {
    }

    static IngestException of(UrlFetcher fetcher, String url) {
        try (fetcher) {
            Throwable thrown = catchThrowable(() -> fetcher.fetch(url));
            assertThat(thrown).isInstanceOf(IngestException.class);
            return (IngestException) thrown;
        }
    }
}
