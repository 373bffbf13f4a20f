package dev.falgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.falgate.http.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's files are stored and read by hand exactly as Jackson's data binding of the record did. */
class JobFileJsonTest {
    private static final ObjectMapper REFERENCE = new ObjectMapper();
    private static final JobFile FULL = new JobFile("images[0]", "outputs/j/0.png", "image/png", 1234L, 640, 480,
            "outputs/j/0.thumb.webp", "cat \"1\".png");
    private static final JobFile SPARSE = new JobFile("model_mesh", "outputs/j/m.glb", "model/gltf-binary", 5_000_000_000L,
            null, null);

    @Test
    void storedFormIsTheRecordsDataBinding() throws Exception {
        for (JobFile f : List.of(FULL, SPARSE)) {
            assertThat(Json.write(f.toJson())).isEqualTo(REFERENCE.writeValueAsString(f));
        }
    }

    @Test
    void readsWhatDataBindingWroteAndItemsFromBeforeNamesAndThumbnails() throws Exception {
        for (JobFile f : List.of(FULL, SPARSE)) {
            assertThat(JobFile.fromJson(Json.parse(REFERENCE.writeValueAsString(f)))).isEqualTo(f);
        }
        String old = "{\"field\":\"images[0]\",\"key\":\"k\",\"contentType\":\"image/png\",\"size\":3,\"width\":1,\"height\":2}";
        assertThat(JobFile.fromJson(Json.parse(old))).isEqualTo(REFERENCE.readValue(old, JobFile.class))
                .isEqualTo(new JobFile("images[0]", "k", "image/png", 3, 1, 2));
    }
}
