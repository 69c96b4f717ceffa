package io.github.servicetags.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns strings from data and catalog files into identifiers and comments that cannot change the meaning of a
 * generated script.
 *
 * <p>Identifiers keep only {@code [A-Za-z0-9._-]}, start with a letter and respect a length limit. A name that had
 * to be changed or shortened gets an 8-digit hash of the original text, so that two different inputs never share
 * a name and the same input always gets the same one. Comments keep a conservative printable ASCII alphabet: no
 * quotes, backslashes, {@code $}, backticks, {@code ;}, {@code #} or control characters survive.
 */
final class SafeNames {
    /** ipset set names (IPSET_MAXNAMELEN 32 including the terminating NUL). */
    static final int IPSET_MAX = 31;
    /** iptables chain names (XT_EXTENSION_MAXNAMELEN 29 including the NUL, minus one). */
    static final int IPTABLES_CHAIN_MAX = 28;
    /** nft table, chain and set names: the 32-byte limit of older kernels, so the output loads everywhere. */
    static final int NFT_MAX = 31;
    /** Comments in nft, iptables and NSG descriptions. */
    static final int COMMENT_MAX = 128;

    private SafeNames() {
    }

    static boolean safeChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    /**
     * An identifier {@code prefix + raw + suffix} over {@code [A-Za-z0-9._-]}, at most {@code max} characters. The
     * prefix and suffix must already be safe; the prefix (or else {@code raw}) must start with a letter.
     */
    static String identifier(String prefix, String raw, String suffix, int max) {
        String text = raw == null ? "" : raw;
        StringBuilder safe = new StringBuilder(Math.min(text.length(), 256));
        boolean lossy = text.isEmpty();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (safeChar(c)) {
                safe.append(c);
            } else {
                safe.append('_');
                lossy = true;
            }
        }
        if (prefix.isEmpty() && (safe.length() == 0 || !Character.isLetter(safe.charAt(0)))) {
            safe.insert(0, 'x');
            lossy = true;
        }
        int room = max - prefix.length() - suffix.length();
        if (!lossy && safe.length() <= room) {
            return prefix + safe + suffix;
        }
        String hash = hash(text);
        int keep = Math.max(0, room - hash.length() - 1);
        String head = safe.substring(0, Math.min(keep, safe.length()));
        String name = prefix + head + (head.isEmpty() ? "" : "_") + hash + suffix;
        if (name.length() > max) {
            throw new IllegalArgumentException("no room for a name within " + max + " characters: prefix " + prefix
                    + ", suffix " + suffix);
        }
        return name;
    }

    /** First 8 hex digits of the SHA-256 of the text. */
    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(8);
            for (int i = 0; i < 4; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 15, 16)).append(Character.forDigit(d[i] & 15, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    static boolean commentChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || " .,:/()_+-=@%&!?<>*".indexOf(c) >= 0;
    }

    /**
     * Comment text: characters outside a small printable ASCII alphabet become spaces, runs of spaces collapse, and
     * the result is at most {@code max} characters. Never contains quotes, backslashes, line breaks, {@code $},
     * backticks, {@code ;} or {@code #}.
     */
    static String comment(String raw, int max) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), max + 1));
        for (int i = 0; i < raw.length() && sb.length() < max + 1; i++) {
            char c = raw.charAt(i);
            char k = commentChar(c) ? c : ' ';
            if (k == ' ' && (sb.length() == 0 || sb.charAt(sb.length() - 1) == ' ')) {
                continue;
            }
            sb.append(k);
        }
        if (sb.length() > max) {
            sb.setLength(max);
        }
        while (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** Text for a warning on a terminal: control characters are escaped, long text is shortened. */
    static String display(String raw) {
        if (raw == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (sb.length() >= 80) {
                sb.append("...");
                break;
            }
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Hands out identifiers for keys and guarantees that two different keys never get the same name within one
     * output (a second, longer hash resolves the improbable clash). Same input, same names.
     */
    static final class Registry {
        private final Map<String, String> byName = new HashMap<>();
        private final Map<String, String> byKey = new HashMap<>();
        private final int max;

        Registry(int max) {
            this.max = max;
        }

        /** The name for {@code key}, derived from {@code prefix + raw + suffix}. */
        String name(String key, String prefix, String raw, String suffix) {
            String known = byKey.get(key);
            if (known != null) {
                return known;
            }
            String name = identifier(prefix, raw, suffix, max);
            for (int round = 1; byName.containsKey(name); round++) {
                name = identifier(prefix, raw + "\u0000" + key + "\u0000" + round, suffix, max);
            }
            byName.put(name, key);
            byKey.put(key, name);
            return name;
        }
    }
}
