package dev.falgate.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysCliTest {
    @Test
    void listsTimesToTheSecondSoTheColumnsLineUp() {
        String stored = KeysCli.time("2026-12-01T12:07:38.123456789Z");
        String whole = KeysCli.time("2026-12-01T12:07:39Z");
        assertThat(stored).isEqualTo("2026-12-01T12:07:38Z");
        assertThat(whole).isEqualTo("2026-12-01T12:07:39Z");

        String header = KeysCli.row("KEY ID", "TENANT", "CREATED", "REVOKED");
        String revoked = KeysCli.row("key_abc", "acme", stored, whole);
        String active = KeysCli.row("key_def", "globex", whole, "-");
        int revokedColumn = header.indexOf("REVOKED");
        assertThat(revoked.substring(revokedColumn)).isEqualTo(whole);
        assertThat(active.substring(revokedColumn)).isEqualTo("-");
        assertThat(revoked.substring(header.indexOf("CREATED"), revokedColumn)).isEqualTo(stored + " ");
    }
}
