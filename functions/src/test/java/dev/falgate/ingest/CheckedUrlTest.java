package dev.falgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.ingest.IngestException.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** URL and host syntax: what is refused before any lookup or connection. */
class CheckedUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0x7f000001", "0X7F000001", "0x7f.0.0.1", "0177.0.0.1", "127.1", "127.0.1",
        "127.0.0.01", "1.2.3.4.5", "256.0.0.1", "foo.0x10", "foo.123", "0x", "017700000001"})
    void refusesNumericHostsNotWrittenAsAPlainDottedQuad(String host) {
        assertThatThrownBy(() -> HostSyntax.parse(host)).isInstanceOf(HostSyntax.InvalidHost.class)
                .hasMessageContaining("four decimal numbers");
        assertRefused("http://" + host + ":8080/x", "four decimal numbers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa_mple.com", "a..b.com", "trailing.dot.", "-a.com", "a-.com", "ex%61mple.com",
        "bücher.de", "[fe80::1%25eth0]", "[::ffff:0177.0.0.1]", "[::1", "[not:an:address]", "[::1]]"})
    void refusesHostsThatAreNeitherANameNorAStrictLiteral(String host) {
        assertThatThrownBy(() -> HostSyntax.parse(host)).isInstanceOf(HostSyntax.InvalidHost.class);
        assertThatThrownBy(() -> CheckedUrl.parse("http://" + host + "/x")).isInstanceOf(IngestException.class)
                .extracting(e -> ((IngestException) e).code()).isEqualTo(Code.URL_NOT_ALLOWED);
    }

    @Test
    void refusesALabelLongerThanDnsAllows() {
        assertRefused("https://" + "a".repeat(64) + ".com/", "not a valid host name");
        assertThat(CheckedUrl.parse("https://" + "a".repeat(63) + ".com/").uri().getHost()).hasSize(67);
    }

    @Test
    void parsesTheAcceptedFormsToAddressesOrLowerCaseNames() throws Exception {
        assertThat(HostSyntax.parse("93.184.216.34")).isEqualTo(new HostSyntax.IpLiteral(FakeDns.literal("93.184.216.34")));
        assertThat(HostSyntax.parse("[::1]")).isEqualTo(new HostSyntax.IpLiteral(FakeDns.literal("::1")));
        assertThat(HostSyntax.parse("::1")).isEqualTo(new HostSyntax.IpLiteral(FakeDns.literal("::1")));
        assertThat(HostSyntax.parse("[::ffff:127.0.0.1]")).isEqualTo(new HostSyntax.IpLiteral(FakeDns.literal("127.0.0.1")));
        assertThat(HostSyntax.parse("Cdn.Example.COM")).isEqualTo(new HostSyntax.DnsName("cdn.example.com"));
        assertThat(HostSyntax.parse("v2.example.com")).isEqualTo(new HostSyntax.DnsName("v2.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "gopher://127.0.0.1:70/_GET%20/", "ftp://example.com/a.png",
        "jar:https://example.com/a.jar!/a.png", "data:image/png;base64,iVBORw0KGgo=", "javascript:alert(1)",
        "dict://127.0.0.1:11211/stat", "ldap://example.com/", "netdoc:///etc/passwd", "//example.com/a.png", "/a.png"})
    void refusesEverySchemeButHttpAndHttps(String url) {
        assertRefused(url, "only http:// and https:// URLs are fetched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user@example.com/", "https://user:secret@example.com/",
        "http://example.com@127.0.0.1/", "http://@example.com/"})
    void refusesUserInfo(String url) {
        assertRefused(url, "user name or password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:x", "http:///x"})
    void refusesUrlsWithoutAHost(String url) {
        assertRefused(url, "no host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com:0/", "http://example.com:65536/", "http://example.com:/",
        "http://example.com:8o/"})
    void refusesBadPorts(String url) {
        assertRefused(url, "not a valid port");
    }

    @Test
    void refusesUnparseableAndOverlongUrls() {
        assertRefused("http://exa mple.com/", "not a valid URL");
        assertRefused("https://", "not a valid URL");
        assertRefused("http://[::1]x/", "not a valid URL");
        assertRefused("https://example.com/" + "a".repeat(CheckedUrl.MAX_LENGTH), "not a valid URL");
        assertRefused("", "not a valid URL");
    }

    @Test
    void lowerCasesTheSchemeAndDropsTheFragment() {
        assertThat(CheckedUrl.parse("HTTPS://Example.com:8443/a.png?x=1#part").uri())
                .hasToString("https://Example.com:8443/a.png?x=1");
        assertThat(CheckedUrl.parse("http://[2606:4700::1111]/a").uri().getPort()).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{1} from {0}")
    @CsvSource({
        "http://a.test/dir/x.png, /b.png, http://a.test/b.png",
        "http://a.test/dir/x.png, y.png, http://a.test/dir/y.png",
        "http://a.test, b.png, http://a.test/b.png",
        "https://a.test/x, //b.test/y, https://b.test/y",
        "https://a.test/x, http://b.test:81/y, http://b.test:81/y",
    })
    void resolvesRedirectsAgainstTheCurrentUrl(String from, String location, String expected) {
        assertThat(CheckedUrl.parse(from).redirect(location).uri()).hasToString(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "gopher://a.test/", "http://2130706433/", "http://u@a.test/"})
    void checksARedirectLikeANewUrl(String location) {
        assertThatThrownBy(() -> CheckedUrl.parse("https://a.test/x").redirect(location))
                .isInstanceOfSatisfying(IngestException.class, e -> {
                    assertThat(e.code()).isEqualTo(Code.URL_NOT_ALLOWED);
                    assertThat(e).hasMessageStartingWith("the URL redirects to one that is not allowed: ");
                });
    }

    @Test
    void aRedirectToAnUnparseableLocationIsTheServersFault() {
        assertThatThrownBy(() -> CheckedUrl.parse("https://a.test/x").redirect("http://a b/"))
                .isInstanceOfSatisfying(IngestException.class, e -> assertThat(e.code()).isEqualTo(Code.URL_FETCH_FAILED));
    }

    private static void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> CheckedUrl.parse(url)).isInstanceOfSatisfying(IngestException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.URL_NOT_ALLOWED);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e).hasMessageContaining(reason);
        });
    }
}
