package io.github.servicetags.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The hostile service-tag files of {@code testdata/hostile/}, written by the project (no Microsoft data): every file
 * is derived from {@link #SAMPLE}, a tiny valid document over documentation addresses (RFC 5737, RFC 3849), and
 * every one of them must be refused with a message naming the problem.
 *
 * <p>Regenerate the committed files after changing a case (deterministic, byte for byte):
 * <pre>
 * mvn -q -o -Dst.buildDir=/tmp/b test-compile
 * java -cp /tmp/b/test-classes io.github.servicetags.hostile.HostileCorpus testdata/hostile
 * </pre>
 * Large inputs (truncation at every offset, the gzip bomb, a 20 MB string, 100,000 nested arrays) are not
 * committed: {@link #large(Path)} writes them into a temporary folder during the test.
 */
public final class HostileCorpus {
    /** One hostile file: its name, its bytes, a fragment the error message must contain, and why it is hostile. */
    public record Case(String file, byte[] bytes, String expected, String why) {
        @Override
        public String toString() {
            return file;
        }
    }

    private static final String TAG_DEMO = """
                {
                  "name": "Demo",
                  "id": "Demo",
                  "properties": {
                    "changeNumber": 3,
                    "region": "",
                    "regionId": 0,
                    "platform": "Azure",
                    "systemService": "Demo",
                    "addressPrefixes": [
                      "192.0.2.0/24",
                      "198.51.100.0/24",
                      "2001:db8::/32"
                    ],
                    "networkFeatures": [
                      "API",
                      "NSG"
                    ]
                  }
                }""";

    private static final String TAG_REGIONAL = """
                {
                  "name": "Demo.WestEurope",
                  "id": "Demo.WestEurope",
                  "properties": {
                    "changeNumber": 2,
                    "region": "westeurope",
                    "regionId": 18,
                    "platform": "Azure",
                    "systemService": "Demo",
                    "addressPrefixes": [
                      "192.0.2.0/25",
                      "192.0.2.128/32",
                      "2001:db8:1::/48",
                      "2001:db8:1::1/128"
                    ],
                    "networkFeatures": null
                  }
                }""";

    /** A small valid document in the schema of the download files; every hostile file is a variation of it. */
    public static final String SAMPLE = doc("7", "\"Public\"", "[\n" + TAG_DEMO + ",\n" + TAG_REGIONAL + "\n  ]");

    private HostileCorpus() {}

    private static String doc(String changeNumber, String cloud, String values) {
        return "{\n  \"changeNumber\": " + changeNumber + ",\n  \"cloud\": " + cloud + ",\n  \"values\": " + values
                + "\n}\n";
    }

    /** The sample with its first occurrence of {@code from} replaced; fails if there is none. */
    static String sampleWith(String from, String to) {
        int i = SAMPLE.indexOf(from);
        if (i < 0) {
            throw new IllegalArgumentException("not in the sample: " + from);
        }
        return SAMPLE.substring(0, i) + to + SAMPLE.substring(i + from.length());
    }

    /** A document with one tag whose name is the given JSON string literal (already escaped). */
    private static String named(String jsonName) {
        return sampleWith("\"name\": \"Demo\"", "\"name\": " + jsonName);
    }

    /** A document whose first prefix is {@code cidr}. */
    private static String prefix(String cidr) {
        return sampleWith("\"192.0.2.0/24\"", "\"" + cidr + "\"");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes) {
            {
                // deterministic output: fixed level, and the header's mtime is always 0 in GZIPOutputStream
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The files committed under {@code testdata/hostile/}, each with the message fragment it must produce. */
    public static List<Case> committed() {
        List<Case> c = new ArrayList<>();
        byte[] sample = utf8(SAMPLE);
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};

        // encoding and framing
        c.add(new Case("empty.json", new byte[0], "empty document", "a zero-byte file"));
        c.add(new Case("whitespace-only.json", utf8(" \n\t\r\n"), "empty document", "only JSON whitespace"));
        c.add(new Case("bom-only.json", bom, "empty document", "a UTF-8 byte order mark and nothing else"));
        c.add(new Case("bom-twice.json", concat(bom, bom, sample), "a second UTF-8 byte order mark",
                "two UTF-8 byte order marks: only one is skipped"));
        c.add(new Case("utf16le-bom.json", concat(new byte[] {(byte) 0xff, (byte) 0xfe},
                SAMPLE.getBytes(StandardCharsets.UTF_16LE)), "UTF-16", "the sample in UTF-16LE with a BOM"));
        c.add(new Case("utf16be-bom.json", SAMPLE.getBytes(StandardCharsets.UTF_16),
                "UTF-16", "the sample in UTF-16 (big-endian with a BOM, as Java writes it)"));
        c.add(new Case("utf16le-nobom.json", SAMPLE.getBytes(StandardCharsets.UTF_16LE), "UTF-16",
                "the sample in UTF-16LE without a BOM (Jackson would otherwise guess the encoding)"));
        c.add(new Case("utf32be.json", SAMPLE.getBytes(java.nio.charset.Charset.forName("UTF-32BE")), "UTF-32",
                "the sample in UTF-32BE"));
        c.add(new Case("latin1-name.json", concat(utf8("{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[{\"name\":\"D"),
                new byte[] {(byte) 0xe9}, utf8("mo\",\"properties\":{\"addressPrefixes\":[]}}]}")),
                "Invalid UTF-8", "a Latin-1 byte in a name: not UTF-8"));
        c.add(new Case("nul-between-tokens.json", concat(utf8("{\"changeNumber\":1,"), new byte[] {0},
                utf8("\"cloud\":\"Public\",\"values\":[]}")), "code 0", "a NUL byte between tokens"));
        c.add(new Case("nul-in-string.json", concat(utf8("{\"changeNumber\":1,\"cloud\":\"Pub"), new byte[] {0},
                utf8("lic\",\"values\":[]}")), "code 0", "a raw NUL byte inside a string"));
        c.add(new Case("nul-padding.json", concat(sample, new byte[4096]), "trailing content",
                "a valid document followed by NUL padding (a preallocated, partly written file)"));
        c.add(new Case("html-error-page.json", utf8("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                + "<body><h1>Not Found</h1></body></html>\n"), "HTML or XML page",
                "an HTML error page saved under a .json name"));
        c.add(new Case("html-with-bom.json", concat(bom, utf8("<html><body>Access denied</body></html>")),
                "HTML or XML page", "an HTML page after a BOM"));
        c.add(new Case("xml.json", utf8("<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"),
                "HTML or XML page", "an XML error document (a blob store's answer)"));
        c.add(new Case("binary-index.json", concat(new byte[] {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a, 0, 1},
                new byte[10]), "the payload ends early",
                "a truncated binary index (ServiceTags.write) under a .json name: recognised by its magic bytes"));
        c.add(new Case("top-level-array.json", utf8("[" + SAMPLE + "]"), "expected a JSON object at the top level",
                "the document wrapped in an array"));
        c.add(new Case("top-level-string.json", utf8("\"ServiceTags_Public_376.json\"\n"),
                "expected a JSON object at the top level, found a string", "a bare JSON string"));
        c.add(new Case("top-level-number.json", utf8("376\n"), "expected a JSON object at the top level, found a number",
                "a bare JSON number"));
        c.add(new Case("trailing-garbage.json", utf8(SAMPLE + "garbage\n"), "trailing content",
                "text after the closing brace"));
        c.add(new Case("trailing-second-document.json", utf8(SAMPLE + SAMPLE), "trailing content",
                "two documents concatenated (an append instead of a replace)"));
        c.add(new Case("truncated-mid-string.json", Arrays.copyOf(sample, SAMPLE.indexOf("198.51") + 3),
                "ends early", "cut inside a prefix string"));
        c.add(new Case("truncated-after-values.json", Arrays.copyOf(sample, SAMPLE.indexOf("\"values\": [") + 11),
                "ends early", "cut right after the opening bracket of values"));
        c.add(new Case("comments.json", utf8("// service tags\n" + SAMPLE), "malformed JSON",
                "a JavaScript comment (not JSON)"));
        c.add(new Case("single-quotes.json", utf8(SAMPLE.replace("\"cloud\": \"Public\"", "'cloud': 'Public'")),
                "malformed JSON", "single-quoted names (not JSON)"));
        c.add(new Case("raw-newline-in-string.json", utf8(sampleWith("\"Azure\"", "\"Az\nure\"")), "malformed JSON",
                "an unescaped line break inside a string"));
        c.add(new Case("gzip-truncated.json.gz", Arrays.copyOf(gzip(sample), gzip(sample).length / 2),
                "corrupt or truncated gzip data", "gzip cut in half"));
        byte[] badCrc = gzip(sample);
        badCrc[badCrc.length - 6] ^= 0x5a; // a CRC32 byte of the trailer
        c.add(new Case("gzip-bad-crc.json.gz", badCrc, "corrupt or truncated gzip data",
                "gzip whose CRC does not match its content"));
        c.add(new Case("gzip-of-html.json.gz", gzip(utf8("<html><body>Service Unavailable</body></html>")),
                "HTML or XML page", "a gzipped HTML page"));
        c.add(new Case("gzip-magic-only.json.gz", new byte[] {0x1f, (byte) 0x8b}, "corrupt or truncated gzip data",
                "only the two gzip magic bytes"));

        // duplicates
        c.add(new Case("duplicate-key-top.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": 7,\n  \"changeNumber\": 8,")), "duplicate key",
                "changeNumber twice at the top level: which one is true?"));
        c.add(new Case("duplicate-key-properties.json", utf8(sampleWith("\"region\": \"westeurope\",",
                "\"region\": \"westeurope\",\n        \"region\": \"eastus\",")), "duplicate key",
                "region twice in a tag's properties"));
        c.add(new Case("duplicate-key-prefixes.json", utf8(sampleWith("\"networkFeatures\": null",
                "\"networkFeatures\": null,\n        \"addressPrefixes\": [\"0.0.0.0/0\"]")), "duplicate key",
                "a second addressPrefixes array hiding after the first"));
        c.add(new Case("duplicate-tag-name.json", utf8(SAMPLE.replace("\"name\": \"Demo.WestEurope\"",
                "\"name\": \"Demo\"")), "duplicate tag name 'Demo'", "two tags named Demo"));

        // nesting, sizes, numbers
        c.add(new Case("deep-nesting.json", utf8(sampleWith("\"cloud\": \"Public\",",
                "\"cloud\": \"Public\",\n  \"extra\": " + "[".repeat(200) + "]".repeat(200) + ",")),
                "LoadOptions.maxNestingDepth", "200 nested arrays in an unknown field"));
        c.add(new Case("deep-nesting-unclosed.json", utf8("{\"changeNumber\":1,\"x\":" + "[".repeat(5000)),
                "LoadOptions.maxNestingDepth", "5,000 open arrays, never closed"));
        c.add(new Case("long-string.json", utf8(sampleWith("\"Azure\"", "\"" + "A".repeat(5000) + "\"")),
                "LoadOptions.maxStringLength", "a 5,000-character platform"));
        c.add(new Case("long-key.json", utf8(sampleWith("\"cloud\": \"Public\",",
                "\"cloud\": \"Public\",\n  \"" + "k".repeat(5000) + "\": 1,")),
                "LoadOptions.maxStringLength", "a 5,000-character key"));
        c.add(new Case("long-number.json", utf8(SAMPLE.replace("\"changeNumber\": 7,", "\"changeNumber\": 7"
                + "0".repeat(2000) + ",")), "LoadOptions.maxStringLength",
                "a 2,001-digit changeNumber (Jackson reports its length as a string length)"));
        c.add(new Case("number-50-digits.json", utf8(sampleWith("\"regionId\": 18", "\"regionId\": 1"
                + "0".repeat(49))), "Number value length", "a 50-digit regionId (numbers are limited to 40 digits)"));
        c.add(new Case("changenumber-bigint.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": 99999999999999999999,")), "changeNumber is too large",
                "a changeNumber over 2^63"));
        c.add(new Case("changenumber-negative.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": -7,")), "changeNumber must not be negative", "a negative changeNumber"));
        c.add(new Case("changenumber-float.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": 7.5,")), "changeNumber must be a number or a string of digits",
                "a fractional changeNumber"));
        c.add(new Case("changenumber-exponent.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": 1e999999999,")), "changeNumber must be a number or a string of digits",
                "an exponent that overflows a double"));
        c.add(new Case("changenumber-nan.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": NaN,")), "malformed JSON", "NaN is not JSON"));
        c.add(new Case("changenumber-text.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": \"0x1f\",")), "is not a decimal number", "a changeNumber string in hex"));
        c.add(new Case("changenumber-leading-zero.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": \"007\",")), "is not a decimal number",
                "a changeNumber string with leading zeros"));
        c.add(new Case("regionid-huge.json", utf8(sampleWith("\"regionId\": 18", "\"regionId\": 4294967296")),
                "regionId must be a non-negative integer", "a regionId over 2^31"));
        c.add(new Case("regionid-negative.json", utf8(sampleWith("\"regionId\": 18", "\"regionId\": -1")),
                "regionId must be a non-negative integer", "a negative regionId"));

        // wrong types and nulls
        c.add(new Case("values-object.json", utf8(doc("7", "\"Public\"", "{}")), "\"values\" must be an array, found an object",
                "values is an object"));
        c.add(new Case("values-null.json", utf8(doc("7", "\"Public\"", "null")), "\"values\" must be an array, found null",
                "values is null"));
        c.add(new Case("values-missing.json", utf8("{\"changeNumber\": 7, \"cloud\": \"Public\"}"),
                "missing \"values\" array", "no values at all"));
        c.add(new Case("cloud-missing.json", utf8("{\"changeNumber\": 7, \"values\": []}"), "missing \"cloud\"",
                "no cloud"));
        c.add(new Case("changenumber-missing.json", utf8("{\"cloud\": \"Public\", \"values\": []}"),
                "missing \"changeNumber\"", "no changeNumber"));
        c.add(new Case("changenumber-null.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": null,")), "changeNumber must be a number or a string of digits, found null",
                "changeNumber is null"));
        c.add(new Case("changenumber-boolean.json", utf8(SAMPLE.replace("\"changeNumber\": 7,",
                "\"changeNumber\": true,")), "found a boolean", "changeNumber is true"));
        c.add(new Case("cloud-number.json", utf8(doc("7", "1", "[]")), "expected a string, found a number",
                "cloud is a number"));
        c.add(new Case("cloud-with-space.json", utf8(doc("7", "\"Public cloud\"", "[]")), "is not a plain word",
                "cloud is not one word"));
        c.add(new Case("tag-is-string.json", utf8(doc("7", "\"Public\"", "[\"Demo\"]")),
                "expected a tag object, found a string", "a tag that is a string"));
        c.add(new Case("tag-is-null.json", utf8(doc("7", "\"Public\"", "[null]")), "expected a tag object, found null",
                "a null tag"));
        c.add(new Case("name-null.json", utf8(named("null")), "expected a string, found null", "name is null"));
        c.add(new Case("name-number.json", utf8(named("42")), "expected a string, found a number", "name is a number"));
        c.add(new Case("name-missing.json", utf8(sampleWith("\"name\": \"Demo\",", "")), "tag without a \"name\"",
                "a tag without a name"));
        c.add(new Case("properties-array.json", utf8(sampleWith("\"properties\": {", "\"properties\": [], \"x\": {")),
                "\"properties\" must be an object, found an array", "properties is an array"));
        c.add(new Case("properties-null.json", utf8(doc("7", "\"Public\"",
                "[{\"name\": \"Demo\", \"properties\": null}]")), "\"properties\" must be an object, found null",
                "properties is null"));
        c.add(new Case("prefixes-missing.json", utf8(doc("7", "\"Public\"",
                "[{\"name\": \"Demo\", \"properties\": {}}]")), "has no \"properties.addressPrefixes\" array",
                "a tag without prefixes"));
        c.add(new Case("prefixes-null.json", utf8(sampleWith("\"addressPrefixes\": [", "\"addressPrefixes\": null,"
                + " \"x\": [")), "addressPrefixes must be an array, found null", "addressPrefixes is null"));
        c.add(new Case("prefixes-string.json", utf8(sampleWith("\"addressPrefixes\": [", "\"addressPrefixes\": "
                + "\"192.0.2.0/24\", \"x\": [")), "addressPrefixes must be an array, found a string",
                "addressPrefixes is one string"));
        c.add(new Case("prefix-null.json", utf8(prefix("x").replace("\"x\"", "null")),
                "a prefix must be a string, found null", "a null prefix"));
        c.add(new Case("prefix-number.json", utf8(prefix("x").replace("\"x\"", "3221225984")),
                "a prefix must be a string, found a number", "a prefix as a number"));
        c.add(new Case("prefix-object.json", utf8(prefix("x").replace("\"x\"", "{\"cidr\": \"192.0.2.0/24\"}")),
                "a prefix must be a string, found an object", "a prefix as an object"));
        c.add(new Case("features-string.json", utf8(sampleWith("\"networkFeatures\": [", "\"networkFeatures\": "
                + "\"API\", \"x\": [")), "networkFeatures must be an array or null, found a string",
                "networkFeatures is one string"));
        c.add(new Case("regionid-string.json", utf8(sampleWith("\"regionId\": 18", "\"regionId\": \"18\"")),
                "regionId must be a non-negative integer, found a string", "regionId as a string"));

        // prefixes
        c.add(new Case("host-bits-ipv4.json", utf8(prefix("192.0.2.1/24")), "did you mean 192.0.2.0/24?",
                "host bits set in an IPv4 prefix"));
        c.add(new Case("host-bits-ipv6.json", utf8(prefix("2001:db8::1/32")), "did you mean 2001:db8::/32?",
                "host bits set in an IPv6 prefix"));
        c.add(new Case("length-33.json", utf8(prefix("192.0.2.0/33")), "192.0.2.0/33", "an IPv4 prefix length of 33"));
        c.add(new Case("length-129.json", utf8(prefix("2001:db8::/129")), "2001:db8::/129",
                "an IPv6 prefix length of 129"));
        c.add(new Case("length-negative.json", utf8(prefix("192.0.2.0/-1")), "192.0.2.0/-1", "a negative length"));
        c.add(new Case("length-leading-zero.json", utf8(prefix("192.0.2.0/024")), "192.0.2.0/024",
                "a length with a leading zero"));
        c.add(new Case("length-missing.json", utf8(prefix("192.0.2.0")), "192.0.2.0", "an address without a length"));
        c.add(new Case("octal-ipv4.json", utf8(prefix("0300.0.02.0/24")), "0300.0.02.0/24",
                "octal octets (inet_aton would read 192.0.2.0)"));
        c.add(new Case("leading-zero-ipv4.json", utf8(prefix("192.000.002.000/24")), "192.000.002.000/24",
                "zero-padded octets"));
        c.add(new Case("hex-ipv4.json", utf8(prefix("0xc0.0.2.0/24")), "0xc0.0.2.0/24", "a hex octet"));
        c.add(new Case("short-ipv4.json", utf8(prefix("192.2/24")), "192.2/24", "a shortened dotted quad"));
        c.add(new Case("integer-ipv4.json", utf8(prefix("3221225984/24")), "3221225984/24",
                "an address as one integer"));
        c.add(new Case("unicode-digits.json", utf8(prefix("\u0661\u0669\u0662.0.2.0/24")), "\\u0661",
                "Arabic-Indic digits"));
        c.add(new Case("fullwidth-digits.json", utf8(prefix("\uff11\uff19\uff12.0.2.0/24")), "\\uff11",
                "full-width digits"));
        c.add(new Case("zone-id.json", utf8(prefix("fe80::%eth0/64")), "fe80::%eth0/64", "an IPv6 zone id"));
        c.add(new Case("space-in-prefix.json", utf8(prefix(" 192.0.2.0/24")), "' 192.0.2.0/24'",
                "a leading space"));
        c.add(new Case("hostname-prefix.json", utf8(prefix("localhost/32")), "localhost/32",
                "a host name instead of an address"));
        c.add(new Case("empty-prefix.json", utf8(prefix("")), "''", "an empty prefix string"));
        c.add(new Case("ipv6-too-many-groups.json", utf8(prefix("2001:db8:0:0:0:0:0:0:0/32")), "2001:db8:0:0:0:0:0:0:0",
                "nine IPv6 groups"));
        c.add(new Case("ipv6-double-compression.json", utf8(prefix("2001::db8::/32")), "2001::db8::/32",
                "two :: in one address"));

        c.add(new Case("ipv4-mapped-prefix.json", utf8(prefix("::ffff:192.0.2.0/120")),
                "IPv4-mapped IPv6 prefix '::ffff:192.0.2.0/120'; lookups answer ::ffff:a.b.c.d as the IPv4 address, "
                        + "so write it as the IPv4 prefix 192.0.2.0/24",
                "an IPv4-mapped IPv6 prefix: lookups of ::ffff:a.b.c.d go to IPv4, so it could never match"));

        // names and text
        c.add(new Case("name-control-char.json", utf8(named("\"Demo\\u0007Bell\"")), "invalid tag name 'Demo\\u0007Bell'",
                "a BEL character in a name"));
        c.add(new Case("name-newline.json", utf8(named("\"Demo\\nexit 0\"")), "invalid tag name 'Demo\\u000aexit 0'",
                "a line break in a name (log and script injection)"));
        c.add(new Case("name-double-quote.json", utf8(named("\"Demo\\\"; drop\"")), "invalid tag name 'Demo\"; drop'",
                "a double quote in a name (CSV and script injection)"));
        c.add(new Case("name-single-quote.json", utf8(named("\"Demo' OR '1'='1\"")), "invalid tag name",
                "single quotes in a name"));
        c.add(new Case("name-shell.json", utf8(named("\"Demo$(reboot)\"")), "invalid tag name 'Demo$(reboot)'",
                "shell command substitution in a name"));
        c.add(new Case("name-space.json", utf8(named("\"Demo West\"")), "invalid tag name 'Demo West'",
                "a space in a name"));
        c.add(new Case("name-empty.json", utf8(named("\"\"")), "invalid tag name ''", "an empty name"));
        c.add(new Case("name-leading-dot.json", utf8(named("\".Demo\"")), "invalid tag name '.Demo'",
                "a name starting with a dot"));
        c.add(new Case("name-too-long.json", utf8(named("\"" + "D".repeat(129) + "\"")), "invalid tag name",
                "a 129-character name (the limit is 128)"));
        c.add(new Case("name-lookalike.json", utf8(named("\"D\u0435mo\"")), "invalid tag name 'D\\u0435mo'",
                "a Cyrillic e that looks like a Latin one"));
        c.add(new Case("name-rtl-override.json", utf8(named("\"Demo\u202eoc.\"")), "\\u202e",
                "a right-to-left override that reverses what a terminal shows"));
        c.add(new Case("id-control-char.json", utf8(sampleWith("\"id\": \"Demo\"", "\"id\": \"Demo\\r\"")),
                "invalid tag id 'Demo\\u000d'", "a carriage return in an id"));
        c.add(new Case("platform-control-char.json", utf8(sampleWith("\"Azure\"", "\"Azure\\u001b[2J\"")),
                "control character in 'Azure\\u001b[2J'", "a terminal escape sequence in platform"));
        c.add(new Case("region-quote.json", utf8(sampleWith("\"region\": \"westeurope\"",
                "\"region\": \"west\\\"europe\"")), "region 'west\"europe' must be letters and digits",
                "a quote in the region"));
        c.add(new Case("feature-injection.json", utf8(sampleWith("\"API\"", "\"API;DROP\"")),
                "network feature 'API;DROP' is not a plain word", "punctuation in a network feature"));
        return c;
    }

    /**
     * Writes the large hostile inputs into {@code dir} and returns them (not committed: generated per test run).
     * Includes a gzip bomb whose header and trailer claim 2 GiB of JSON whitespace: only the document limit stops it.
     */
    public static List<Case> large(Path dir) throws IOException {
        List<Case> c = new ArrayList<>();
        c.add(write(dir, new Case("huge-string.json", concat(utf8("{\"changeNumber\":1,\"cloud\":\"Public\","
                + "\"values\":[{\"name\":\"Demo\",\"properties\":{\"platform\":\""), repeat('A', 20 << 20),
                utf8("\",\"addressPrefixes\":[]}}]}")), "LoadOptions.maxStringLength",
                "a 20 MiB string: refused before it is held in memory")));
        c.add(write(dir, new Case("deep-nesting-100k.json", concat(utf8("{\"changeNumber\":1,\"x\":"),
                repeat('[', 100_000), repeat(']', 100_000), utf8("}")), "LoadOptions.maxNestingDepth",
                "100,000 nested arrays: refused without a stack overflow")));
        c.add(write(dir, new Case("many-tags.json", manyTags(60_000), "LoadOptions.maxTags",
                "60,000 tags, over the default of 50,000")));
        Path bomb = dir.resolve("gzip-bomb-2gib.json.gz");
        writeWhitespaceBomb(bomb, 2L << 30);
        c.add(new Case(bomb.getFileName().toString(), null, "LoadOptions.maxDocumentBytes",
                "a few MiB of gzip claiming 2 GiB of JSON whitespace"));
        Path zeros = dir.resolve("gzip-bomb-zeros.json.gz");
        writeZeroBomb(zeros, 256L << 20);
        c.add(new Case(zeros.getFileName().toString(), null, "code 0",
                "gzip of 256 MiB of NUL bytes: refused at the first byte"));
        return c;
    }

    private static Case write(Path dir, Case c) throws IOException {
        Files.write(dir.resolve(c.file()), c.bytes());
        return new Case(c.file(), null, c.expected(), c.why());
    }

    private static byte[] repeat(char ch, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) ch);
        return b;
    }

    private static byte[] manyTags(int n) {
        StringBuilder sb = new StringBuilder("{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"name\":\"T").append(i).append("\",\"properties\":{\"addressPrefixes\":[]}}");
        }
        return utf8(sb.append("]}").toString());
    }

    /**
     * A gzip member holding a document opening followed by {@code total} bytes of spaces: valid JSON as far as it
     * goes, so only the decompressed-size limit can stop it. Deflating a reused block keeps this fast.
     */
    static void writeWhitespaceBomb(Path file, long total) throws IOException {
        byte[] head = utf8("{\"changeNumber\":1,\"cloud\":\"Public\",\"values\":[");
        byte[] block = repeat(' ', 1 << 20);
        try (OutputStream out = Files.newOutputStream(file)) {
            gzipStream(out, head, block, total);
        }
    }

    /** A gzip member of {@code total} NUL bytes. */
    static void writeZeroBomb(Path file, long total) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            gzipStream(out, new byte[0], new byte[1 << 20], total);
        }
    }

    /**
     * Writes one gzip member (RFC 1952) of {@code head} then {@code block} repeated up to {@code total} bytes. Each
     * part is compressed with a full flush, which resets the compressor, so the compressed block is computed once and
     * written as often as needed: a 2 GiB bomb takes a second, not a minute, to write.
     */
    private static void gzipStream(OutputStream out, byte[] head, byte[] block, long total) throws IOException {
        if (total % block.length != 0) {
            throw new IllegalArgumentException("total must be a multiple of the block size");
        }
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        CRC32 crc = new CRC32();
        try {
            out.write(flushed(d, head));
            crc.update(head);
            byte[] compressed = flushed(d, block);
            for (long n = 0; n < total; n += block.length) {
                out.write(compressed);
                crc.update(block);
            }
            d.finish();
            byte[] buf = new byte[64];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
        } finally {
            d.end();
        }
        long c = crc.getValue();
        long size = head.length + total; // ISIZE: the size modulo 2^32
        out.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
            (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)});
    }

    /** Compresses {@code data} and ends with a full flush (byte-aligned, no reference to earlier data). */
    private static byte[] flushed(Deflater d, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        d.setInput(data);
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }

    /**
     * Writes the committed corpus and its index ({@code README.md}) into the folder given as the first argument
     * (default {@code testdata/hostile}).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "testdata/hostile");
        Files.createDirectories(dir);
        for (Case c : committed()) {
            Files.write(dir.resolve(c.file()), c.bytes());
        }
        Files.writeString(dir.resolve("README.md"), index());
    }

    /** The text of {@code testdata/hostile/README.md}. */
    static String index() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Hostile service-tag files\n\n")
                .append("Written by `src/test/java/io/github/servicetags/hostile/HostileCorpus.java` (do not edit by hand;\n")
                .append("regenerate with its `main`). Every file is refused by `servicetags --data FILE info` with exit 1\n")
                .append("and a message containing the text in the last column (`HostileDataFilesTest`). Larger inputs\n")
                .append("(truncation at every offset, a 2 GiB gzip bomb, a 20 MiB string, 100,000 nested arrays, 60,000 tags)\n")
                .append("are generated into a temporary folder by the test.\n\n")
                .append("| file | what is wrong | message contains |\n| --- | --- | --- |\n");
        for (Case c : committed()) {
            sb.append("| `").append(c.file()).append("` | ").append(c.why()).append(" | `")
                    .append(c.expected().replace("|", "\\|").replace("`", "'")).append("` |\n");
        }
        return sb.toString();
    }
}
