package io.github.servicetags.internal;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.LoadOptions;

/**
 * Every rule of the service-tag data, written once, with its message: tag names and ids, cloud, region, network
 * feature and free-text rules, the numeric ranges, the IPv4-mapped prefix rule and the {@link LoadOptions} limits.
 * The JSON reader, the binary reader, {@code ServiceTag.builder()}, {@code ServiceTags.of} and the catalog reader
 * all call it, so a value one of them accepts is accepted by all (what {@code write} writes, {@code read} reads).
 *
 * <p>Modelled on Jackson's {@code StreamReadConstraints}: each {@code require...} method owns one check and its
 * message, and throws {@link IllegalArgumentException} with the message (quoting the value, escaped) when the value
 * breaks the rule; the readers turn it into an {@code InvalidServiceTagsException} with the location in the file.
 * The checks are plain character loops, not regular expressions: they run for every tag of a cold start.
 *
 * <p>Internal: public only because the readers live in several packages; not exported by the module.
 */
public final class DataRules {
    /** The tag-name rule as a pattern, for messages and documentation. */
    public static final String TAG_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    private DataRules() {}

    // ---------------------------------------------------------------------------------------------- predicates

    /** True if {@code s} is a valid tag name (or id): {@value #TAG_NAME_PATTERN}. */
    public static boolean isTagName(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > 128 || !isAsciiLetterOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * True for a character that may not appear in text from a data or catalog file: C0 controls, DEL, C1 controls
     * and the Unicode line and paragraph separators (terminals and scripts treat them as line breaks or escapes).
     */
    public static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c < 0xa0 || c == '\u2028' || c == '\u2029';
    }

    /** Returns the index of the first {@linkplain #isControl control character} of {@code s}, or -1. */
    public static int firstControl(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** A letter, then letters and digits, at most {@code max} characters in all. */
    private static boolean isPlainWord(String s, int max) {
        int n = s.length();
        if (n == 0 || n > max || !isAsciiLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!isAsciiLetterOrDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- values

    /** Tag names: {@value #TAG_NAME_PATTERN}. */
    public static String requireTagName(String name) {
        if (!isTagName(name)) {
            throw new IllegalArgumentException("invalid tag name " + Strings.quote(name) + ": names match "
                    + TAG_NAME_PATTERN);
        }
        return name;
    }

    /** Tag ids: the tag-name rule. */
    public static String requireTagId(String id) {
        if (!isTagName(id)) {
            throw new IllegalArgumentException("invalid tag id " + Strings.quote(id) + ": ids match "
                    + TAG_NAME_PATTERN);
        }
        return id;
    }

    /** Cloud names: a plain word of at most 64 characters ({@code Public}, {@code AzureGovernment}). */
    public static String requireCloud(String cloud) {
        if (!isPlainWord(cloud, 64)) {
            throw new IllegalArgumentException("cloud name " + Strings.quote(cloud) + " is not a plain word");
        }
        return cloud;
    }

    /** Regions: letters and digits, at most 64, or empty for a global tag. */
    public static String requireRegion(String region) {
        boolean ok = region.length() <= 64;
        for (int i = 0; ok && i < region.length(); i++) {
            ok = isAsciiLetterOrDigit(region.charAt(i));
        }
        if (!ok) {
            throw new IllegalArgumentException("region " + Strings.quote(region) + " must be letters and digits");
        }
        return region;
    }

    /** Network features: a plain word of at most 32 characters ({@code API}, {@code NSG}). */
    public static String requireFeature(String feature) {
        if (!isPlainWord(feature, 32)) {
            throw new IllegalArgumentException("network feature " + Strings.quote(feature) + " is not a plain word");
        }
        return feature;
    }

    /** Free text of the data (platform, systemService): no {@linkplain #isControl control character}. */
    public static String requireText(String text) {
        if (firstControl(text) >= 0) {
            throw new IllegalArgumentException("control character in " + Strings.quote(text));
        }
        return text;
    }

    /** A changeNumber (of the file or of a tag): any non-negative {@code long}. */
    public static long requireChangeNumber(long changeNumber) {
        if (changeNumber < 0) {
            throw new IllegalArgumentException("changeNumber must not be negative, got " + changeNumber);
        }
        return changeNumber;
    }

    /** A regionId: a non-negative {@code int}. */
    public static int requireRegionId(long regionId) {
        if (regionId < 0 || regionId > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("regionId must be a non-negative integer, found " + regionId);
        }
        return (int) regionId;
    }

    /**
     * A prefix of a tag: not IPv4-mapped IPv6 ({@code ::ffff:0:0/96} and longer), which lookups answer as the IPv4
     * address, so such a prefix could never be found.
     */
    public static IpPrefix requirePrefix(IpPrefix p) {
        if (p.family() == IpFamily.IPV6 && p.high() == 0 && (p.low() >>> 32) == 0xffffL && p.length() >= 96) {
            throw new IllegalArgumentException("IPv4-mapped IPv6 prefix " + Strings.quote(p.toString())
                    + "; lookups answer ::ffff:a.b.c.d as the IPv4 address, so write it as the IPv4 prefix "
                    + IpPrefix.ofIPv4((int) p.low(), p.length() - 96));
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------------- limits

    /** At most {@link LoadOptions#maxTags()} tags. */
    public static void requireTagCount(long count, LoadOptions o) {
        if (count > o.maxTags()) {
            throw new IllegalArgumentException("more than " + o.maxTags() + " tags (LoadOptions.maxTags)");
        }
    }

    /** At most {@link LoadOptions#maxPrefixesPerTag()} prefixes in one tag. */
    public static void requirePrefixCountOfTag(long count, LoadOptions o) {
        if (count > o.maxPrefixesPerTag()) {
            throw new IllegalArgumentException("more than " + o.maxPrefixesPerTag()
                    + " prefixes in one tag (LoadOptions.maxPrefixesPerTag)");
        }
    }

    /** At most {@link LoadOptions#maxTotalPrefixes()} prefixes in the file. */
    public static void requireTotalPrefixCount(long count, LoadOptions o) {
        if (count > o.maxTotalPrefixes()) {
            throw new IllegalArgumentException("more than " + o.maxTotalPrefixes()
                    + " prefixes in the file (LoadOptions.maxTotalPrefixes)");
        }
    }

    /** At most {@link LoadOptions#maxStringLength()} characters in a string (Jackson's wording, for both readers). */
    public static void requireStringLength(long length, LoadOptions o) {
        if (length > o.maxStringLength()) {
            throw new IllegalArgumentException(limitExceeded("String value length (" + length
                    + ") exceeds the maximum allowed (" + o.maxStringLength() + ")"));
        }
    }

    /** The message for a document over {@code max} bytes (after decompression). */
    public static String documentTooLarge(long max) {
        return "document larger than " + max + " bytes (LoadOptions.maxDocumentBytes)";
    }

    /** At most {@code max} bytes of document ({@link LoadOptions#maxDocumentBytes()}, capped for arrays). */
    public static void requireDocumentBytes(long bytes, long max) {
        if (bytes > max) {
            throw new IllegalArgumentException(documentTooLarge(max));
        }
    }

    /** A limit message of Jackson's, naming our {@link LoadOptions} setter instead of Jackson's internal getter. */
    public static String limitExceeded(String jacksonMessage) {
        String clean = String.valueOf(jacksonMessage).replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`",
                "");
        String setter = null;
        if (clean.contains("nesting depth")) {
            setter = "maxNestingDepth";
        } else if (clean.contains("String value length") || clean.contains("Name length")) {
            setter = "maxStringLength";
        }
        if (setter == null) {
            return clean + " (a fixed processing limit of the reader)";
        }
        return clean + " (a processing limit, LoadOptions." + setter + "; raise it with LoadOptions.builder()."
                + setter + "(n) if the file is genuine)";
    }
}
