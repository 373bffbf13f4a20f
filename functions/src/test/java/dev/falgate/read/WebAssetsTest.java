package dev.falgate.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.http.ApiException;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Page and vendored files: types, caching, revalidation, the CSP header. Fixtures in src/test/resources/web/vendor. */
class WebAssetsTest {
    private static final String CSP = ContentSecurityPolicy.header("http://127.0.0.1:9000", false);

    @Test
    void thePageCarriesTheCspAsAHeaderAndNoLongerAsAMetaTag() {
        APIGatewayV2HTTPResponse page = WebAssets.page("index.html", Optional.empty(), CSP);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getHeaders()).containsEntry("content-security-policy", CSP).containsEntry("cache-control", "no-cache");
        assertThat(page.getBody()).doesNotContainIgnoringCase("Content-Security-Policy");
    }

    @Test
    void aVersionedVendorFileIsImmutableAndRevalidatesTo304() {
        APIGatewayV2HTTPResponse first = WebAssets.vendor("fixture-1.2.3.mjs", Optional.empty(), CSP);
        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(first.getHeaders()).containsEntry("content-type", "text/javascript; charset=utf-8")
                .containsEntry("cache-control", "public, max-age=31536000, immutable");
        assertThat(first.getBody()).contains("export const fixture");
        String etag = first.getHeaders().get("etag");
        APIGatewayV2HTTPResponse again = WebAssets.vendor("fixture-1.2.3.mjs", Optional.of(etag), CSP);
        assertThat(again.getStatusCode()).isEqualTo(304);
        assertThat(again.getBody()).isNull();
    }

    @Test
    void wasmIsBinaryWithItsTypeAndAnUnversionedNameIsRevalidated() {
        APIGatewayV2HTTPResponse wasm = WebAssets.vendor("fixture.wasm", Optional.of("\"other\""), CSP);
        assertThat(wasm.getStatusCode()).isEqualTo(200);
        assertThat(wasm.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(wasm.getBody())).startsWith(0, 'a', 's', 'm');
        assertThat(wasm.getHeaders()).containsEntry("content-type", "application/wasm").containsEntry("cache-control", "no-cache");
    }

    @Test
    void namesOutsideTheFolderOrOfOtherTypesAreNotFound() {
        for (String name : new String[] {"../app.js", "fixture.exe", "missing-1.0.0.js", ".wasm"}) {
            assertThatThrownBy(() -> WebAssets.vendor(name, Optional.empty(), CSP)).as(name)
                    .isInstanceOf(ApiException.class).hasMessageContaining("not found");
        }
        assertThatThrownBy(() -> WebAssets.page("fixture.wasm", Optional.empty(), CSP)).isInstanceOf(ApiException.class);
    }
}
