package dev.falgate.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DownloadNamesTest {
    @Test
    void anAsciiNameIsQuotedAsItIs() {
        assertThat(DownloadNames.attachment("images[0].png")).isEqualTo("attachment; filename=\"images[0].png\"");
    }

    @Test
    void aNonAsciiNameGetsAnAsciiFallbackAndAnRfc5987UtfEightName() {
        assertThat(DownloadNames.attachment("Ölbild 猫.png")).isEqualTo(
                "attachment; filename=\"_lbild _.png\"; filename*=UTF-8''%C3%96lbild%20%E7%8C%AB.png");
    }

    @Test
    void quotesAndBackslashesCannotEndTheQuotedNameAndPathsAreDropped() {
        assertThat(DownloadNames.attachment("../../etc/a\"b.glb")).isEqualTo(
                "attachment; filename=\"a_b.glb\"; filename*=UTF-8''a%22b.glb");
        assertThat(DownloadNames.attachment("C:\\temp\\x.obj")).isEqualTo("attachment; filename=\"x.obj\"");
    }

    @Test
    void controlCharactersGoAndAnEmptyNameBecomesDownload() {
        assertThat(DownloadNames.attachment("a\r\nb.png")).isEqualTo("attachment; filename=\"ab.png\"");
        assertThat(DownloadNames.attachment("")).isEqualTo("attachment; filename=\"download\"");
        assertThat(DownloadNames.attachment(null)).isEqualTo("attachment; filename=\"download\"");
        assertThat(DownloadNames.attachment("..")).isEqualTo("attachment; filename=\"download\"");
    }
}
