package dev.falgate.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The accounts the emulator accepts: the configured main one plus any created while running. */
public final class Accounts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Account main;
    private final Map<String, Account> byKey = new ConcurrentHashMap<>();

    public Accounts(Account main) {
        this.main = main;
        byKey.put(main.key(), main);
    }

    public Account main() {
        return main;
    }

    /** A fresh account with a random key ({@code <uuid>:<hex>}, fal's shape) and user id. */
    public Account create() {
        Account account = new Account(UUID.randomUUID() + ":" + randomHex(16),
                "user-" + randomHex(8));
        byKey.put(account.key(), account);
        return account;
    }

    public Optional<Account> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
