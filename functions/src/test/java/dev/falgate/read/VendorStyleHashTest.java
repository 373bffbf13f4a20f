package dev.falgate.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CSP lets the vendored viewer's inline shadow-DOM style in by hash, and only that. */
class VendorStyleHashTest {

    @Test
    void styleSrcAllowsExactlyTheHashOfTheViewersInlineStyle() throws Exception {
        String viewer;
        try (InputStream in = ContentSecurityPolicy.class.getResourceAsStream("/web/vendor/model-viewer.min.js")) {
            assertThat(in).as("web/vendor/model-viewer.min.js on the classpath").isNotNull();
            viewer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> expected = new ArrayList<>();
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(viewer);
        while (style.find()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(style.group(1).getBytes(StandardCharsets.UTF_8));
            expected.add("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
        }
        assertThat(expected).isNotEmpty();

        String styleSrc = List.of(ContentSecurityPolicy.header(null, false).split("; ")).stream()
                .filter(d -> d.startsWith("style-src ")).findFirst().orElseThrow();
        assertThat(styleSrc).isEqualTo("style-src 'self' " + String.join(" ", expected));
        assertThat(styleSrc).doesNotContain("unsafe");
    }
}
