package io.github.servicetags.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.ServiceTag;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streaming reader of the service-tags JSON schema (download files of every cloud and the Discovery API response).
 * It never builds a tree of the document; every problem becomes an {@link InvalidServiceTagsException} with the
 * JSON location and the path of the value ({@code values[12].properties.addressPrefixes[3]}).
 */
public final class ServiceTagsReader {
    /** Valid tag names. */
    public static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** What a file holds, before indexing. */
    public record Parsed(String cloud, long changeNumber, List<ServiceTag> tags) {}

    private final InputStream in;
    private final String source;
    private final LoadOptions options;
    private JsonParser p;
    private String path = "";
    private long totalPrefixes;

    private ServiceTagsReader(InputStream in, String source, LoadOptions options) {
        this.in = in;
        this.source = source;
        this.options = options;
    }

    /**
     * Reads a whole document from {@code in} (plain or gzip, detected by magic bytes). The stream is not closed.
     *
     * @param source the name used in error messages (a file path or URL)
     */
    public static Parsed read(InputStream in, String source, LoadOptions options) throws IOException {
        return new ServiceTagsReader(in, source, options).read();
    }

    /**
     * Opens {@code raw} as plain or gzip JSON (by magic bytes), limited to {@code maxBytes} decompressed, with a
     * UTF-8 byte order mark skipped. UTF-16 and UTF-32 text (with or without a byte order mark) is refused: JSON
     * exchanged between systems is UTF-8 (RFC 8259), and Jackson would otherwise guess the encoding.
     */
    public static InputStream open(InputStream raw, String source, long maxBytes) throws IOException {
        BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        InputStream s = b;
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                s = new GZIPInputStream(b, 1 << 16);
            } catch (EOFException e) {
                throw new InvalidServiceTagsException(source, "", "corrupt or truncated gzip data: the gzip header "
                        + "ends early", e);
            }
        }
        PushbackInputStream text = new PushbackInputStream(new LimitedInputStream(s, maxBytes, source), 8);
        byte[] head = text.readNBytes(6);
        if (head.length >= 5 && (head[0] & 0xff) == 0x89 && head[1] == 'S' && head[2] == 'T' && head[3] == 'A'
                && head[4] == 'G') {
            throw new InvalidServiceTagsException(source, "byte 0", "this is a servicetags binary index, not JSON: "
                    + "read it with ServiceTags.read");
        }
        String encoding = otherEncoding(head);
        if (encoding != null) {
            throw new InvalidServiceTagsException(source, "byte 0", "the file is " + encoding
                    + " text; service-tag files are UTF-8 JSON (convert it, e.g. iconv -f " + encoding
                    + " -t UTF-8)");
        }
        boolean bom = isBom(head, 0);
        if (bom && isBom(head, 3)) {
            throw new InvalidServiceTagsException(source, "byte 3", "a second UTF-8 byte order mark; a file has at "
                    + "most one, at its start");
        }
        int skip = bom ? 3 : 0;
        text.unread(head, skip, head.length - skip);
        return text;
    }

    private static boolean isBom(byte[] h, int at) {
        return h.length >= at + 3 && (h[at] & 0xff) == 0xef && (h[at + 1] & 0xff) == 0xbb
                && (h[at + 2] & 0xff) == 0xbf;
    }

    /** The name of a UTF-16 or UTF-32 encoding the first bytes show (by BOM or by NUL pattern), else null. */
    static String otherEncoding(byte[] h) {
        int n = h.length;
        int b0 = n > 0 ? h[0] & 0xff : -1;
        int b1 = n > 1 ? h[1] & 0xff : -1;
        int b2 = n > 2 ? h[2] & 0xff : -1;
        int b3 = n > 3 ? h[3] & 0xff : -1;
        if (b0 == 0 && b1 == 0 && b2 == 0xfe && b3 == 0xff) {
            return "UTF-32BE";
        }
        if (b0 == 0xff && b1 == 0xfe && b2 == 0 && b3 == 0) {
            return "UTF-32LE";
        }
        if (b0 == 0xfe && b1 == 0xff) {
            return "UTF-16BE";
        }
        if (b0 == 0xff && b1 == 0xfe) {
            return "UTF-16LE";
        }
        if (n >= 4 && b0 == 0 && b1 == 0 && b2 == 0 && b3 != 0) {
            return "UTF-32BE";
        }
        if (n >= 4 && b0 != 0 && b1 == 0 && b2 == 0 && b3 == 0) {
            return "UTF-32LE";
        }
        if (n >= 2 && b0 == 0 && b1 > 0) {
            return "UTF-16BE";
        }
        if (n >= 2 && b0 > 0 && b1 == 0) {
            return "UTF-16LE";
        }
        return null; // all-NUL input is left to the JSON parser, which names the NUL byte
    }

    private Parsed read() throws IOException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(options.maxNestingDepth())
                        .maxStringLength(options.maxStringLength())
                        .maxNumberLength(40)
                        .maxNameLength(options.maxStringLength())
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        try (InputStream body = open(in, source, options.maxDocumentBytes());
                JsonParser parser = factory.createParser(body)) {
            this.p = parser;
            return readDocument();
        } catch (InvalidServiceTagsException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw invalid(limitExceeded(e.getOriginalMessage()), e);
        } catch (JsonParseException e) {
            throw invalid(describe(e), e);
        } catch (ZipException | EOFException e) {
            throw invalid("corrupt or truncated gzip data: "
                    + (e.getMessage() == null ? "the gzip stream ends early" : e.getMessage()), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid("malformed JSON: " + e.getOriginalMessage(), e); // e.g. a number Jackson cannot coerce
        } catch (IOException e) {
            // a read error of the file itself ("Is a directory", EIO): say which file
            throw new IOException(source + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /** Jackson's limit message, naming our {@link LoadOptions} setter instead of Jackson's internal getter. */
    static String limitExceeded(String m) {
        String clean = String.valueOf(m).replaceAll(", from `StreamReadConstraints\\.[A-Za-z]+\\(\\)`", "");
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

    private String describe(JsonParseException e) {
        String m = e.getOriginalMessage();
        if (m != null && (m.contains("Unexpected character ('<'") || m.contains("Unexpected character (\'<\'"))) {
            return "this is an HTML or XML page, not JSON (did a download return an error page?)";
        }
        if (m != null && m.contains("Duplicate field")) {
            return "duplicate key: " + m;
        }
        if (m != null && m.startsWith("Unexpected end-of-input")) {
            return "the file ends early (truncated?): "
                    + m.replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[");
        }
        return "malformed JSON: " + m;
    }

    private Parsed readDocument() throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw invalid("empty document; expected a service-tags JSON object");
        }
        if (t != JsonToken.START_OBJECT) {
            throw invalid("expected a JSON object at the top level, found "
                    + (t == JsonToken.START_ARRAY ? "[" : describe(t)) + "; is this a ServiceTags_*.json file?");
        }
        Long changeNumber = null;
        String cloud = null;
        List<ServiceTag> tags = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "changeNumber" -> changeNumber = readChangeNumber("changeNumber");
                case "cloud" -> {
                    path = "cloud";
                    cloud = readString();
                    if (!cloud.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
                        throw invalid("cloud name " + Strings.quote(cloud) + " is not a plain word");
                    }
                }
                case "values" -> tags = readValues();
                default -> {
                    // nextLink (Discovery API) and future fields: skipped, within the same limits
                    skipValue();
                }
            }
            path = "";
        }
        if (changeNumber == null) {
            throw invalid("missing \"changeNumber\"; is this a ServiceTags_*.json file?");
        }
        if (cloud == null) {
            throw invalid("missing \"cloud\"; is this a ServiceTags_*.json file?");
        }
        if (tags == null) {
            throw invalid("missing \"values\" array; is this a ServiceTags_*.json file?");
        }
        JsonToken trailing;
        try {
            trailing = p.nextToken();
        } catch (JsonParseException e) {
            throw invalid("trailing content after the JSON document", e);
        }
        if (trailing != null) {
            throw invalid("trailing content after the JSON document");
        }
        return new Parsed(cloud, changeNumber, List.copyOf(tags));
    }

    private long readChangeNumber(String where) throws IOException {
        path = where;
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() != JsonParser.NumberType.INT && p.getNumberType() != JsonParser.NumberType.LONG) {
                throw invalid("changeNumber is too large");
            }
            long v = p.getLongValue();
            if (v < 0) {
                throw invalid("changeNumber must not be negative, got " + v);
            }
            return v;
        }
        if (t == JsonToken.VALUE_STRING) { // Discovery API
            String s = p.getText();
            if (!s.matches("(0|[1-9][0-9]{0,17})")) {
                throw invalid("changeNumber " + Strings.quote(s) + " is not a decimal number");
            }
            return Long.parseLong(s);
        }
        throw invalid("changeNumber must be a number or a string of digits, found " + describe(t)
                + (t == JsonToken.VALUE_NUMBER_FLOAT ? " with a fraction or exponent: " + Strings.quote(p.getText()) : ""));
    }

    private List<ServiceTag> readValues() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            path = "values";
            throw invalid("\"values\" must be an array, found " + describe(p.currentToken()));
        }
        List<ServiceTag> tags = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int index = tags.size();
            path = "values[" + index + "]";
            if (tags.size() >= options.maxTags()) {
                throw invalid("more than " + options.maxTags() + " tags (LoadOptions.maxTags)");
            }
            if (t != JsonToken.START_OBJECT) {
                throw invalid("expected a tag object, found " + describe(t));
            }
            ServiceTag tag = readTag(index);
            Integer before = names.putIfAbsent(tag.name(), index);
            if (before != null) {
                path = "values[" + index + "].name";
                throw invalid("duplicate tag name " + Strings.quote(tag.name()) + " (also values[" + before + "])");
            }
            tags.add(tag);
        }
        return tags;
    }

    private ServiceTag readTag(int index) throws IOException {
        String name = null;
        String id = null;
        String region = "";
        int regionId = 0;
        String platform = "";
        String systemService = "";
        Set<String> features = Set.of();
        long changeNumber = 0;
        List<IpPrefix> prefixes = null;
        String base = "values[" + index + "]";
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "name" -> {
                    path = base + ".name";
                    name = readString();
                    if (!TAG_NAME.matcher(name).matches()) {
                        throw invalid("invalid tag name " + Strings.quote(name)
                                + ": names match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
                    }
                    base = "values[" + index + "] '" + name + "'";
                }
                case "id" -> {
                    path = base + ".id";
                    id = readString();
                    if (!TAG_NAME.matcher(id).matches()) {
                        throw invalid("invalid tag id " + Strings.quote(id)
                                + ": ids match [A-Za-z0-9][A-Za-z0-9._-]{0,127}");
                    }
                }
                case "properties" -> {
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        path = base + ".properties";
                        throw invalid("\"properties\" must be an object, found " + describe(p.currentToken()));
                    }
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        String pk = p.currentName();
                        path = base + ".properties." + pk;
                        p.nextToken();
                        switch (pk) {
                            case "changeNumber" -> changeNumber = readChangeNumber(path);
                            case "region" -> {
                                region = readString();
                                if (!region.matches("[A-Za-z0-9]{0,64}")) {
                                    throw invalid("region " + Strings.quote(region)
                                            + " must be letters and digits");
                                }
                            }
                            case "regionId" -> regionId = readRegionId();
                            case "platform" -> platform = readPlainText();
                            case "systemService" -> systemService = readPlainText();
                            case "addressPrefixes" -> prefixes = readPrefixes(path);
                            case "networkFeatures" -> features = readFeatures();
                            default -> skipValue();
                        }
                    }
                }
                default -> skipValue();
            }
        }
        path = base;
        if (name == null) {
            throw invalid("tag without a \"name\"");
        }
        if (prefixes == null) {
            throw invalid("tag " + Strings.quote(name) + " has no \"properties.addressPrefixes\" array");
        }
        return new ServiceTag(name, id == null ? name : id, region, regionId, platform, systemService, features,
                changeNumber, prefixes);
    }

    /** Skips an unknown value, reading every string so that the length limit applies to skipped data too. */
    private void skipValue() throws IOException {
        int depth = 0;
        JsonToken t = p.currentToken();
        while (true) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == JsonToken.VALUE_STRING) {
                p.getText();
            } else if (t == null) {
                throw invalid("the file ends early (truncated?)");
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
        }
    }

    private int readRegionId() throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                || p.getIntValue() < 0) {
            JsonToken t = p.currentToken();
            throw invalid("regionId must be a non-negative integer, found " + describe(t)
                    + (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                            ? " " + Strings.quote(p.getText()) : ""));
        }
        return p.getIntValue();
    }

    private String readPlainText() throws IOException {
        String s = readString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid("control character in " + Strings.quote(s));
            }
        }
        return s;
    }

    private Set<String> readFeatures() throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Set.of();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("networkFeatures must be an array or null, found " + describe(p.currentToken()));
        }
        Set<String> out = new LinkedHashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String f = readString();
            if (!f.matches("[A-Za-z][A-Za-z0-9]{0,31}")) {
                throw invalid("network feature " + Strings.quote(f) + " is not a plain word");
            }
            out.add(f);
        }
        return out;
    }

    private List<IpPrefix> readPrefixes(String where) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw invalid("addressPrefixes must be an array, found " + describe(p.currentToken()));
        }
        List<IpPrefix> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            path = where + "[" + out.size() + "]";
            if (out.size() >= options.maxPrefixesPerTag()) {
                throw invalid("more than " + options.maxPrefixesPerTag()
                        + " prefixes in one tag (LoadOptions.maxPrefixesPerTag)");
            }
            if (++totalPrefixes > options.maxTotalPrefixes()) {
                throw invalid("more than " + options.maxTotalPrefixes()
                        + " prefixes in the file (LoadOptions.maxTotalPrefixes)");
            }
            if (t != JsonToken.VALUE_STRING) {
                throw invalid("a prefix must be a string, found " + describe(t));
            }
            String text = p.getText();
            IpPrefix prefix = IpPrefix.tryParse(text).orElse(null);
            if (prefix == null) {
                try {
                    IpPrefix.parse(text);
                } catch (IllegalArgumentException e) {
                    throw invalid(e.getMessage());
                }
            }
            if (prefix.family() == IpFamily.IPV6 && prefix.high() == 0 && (prefix.low() >>> 32) == 0xffffL
                    && prefix.length() >= 96) {
                // lookups answer ::ffff:a.b.c.d as the IPv4 address: such a prefix could never be found
                throw invalid("IPv4-mapped IPv6 prefix " + Strings.quote(text) + "; lookups answer ::ffff:a.b.c.d as "
                        + "the IPv4 address, so write it as the IPv4 prefix "
                        + IpPrefix.ofIPv4((int) prefix.low(), prefix.length() - 96));
            }
            out.add(prefix);
        }
        path = where;
        return out;
    }

    private String readString() throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_STRING) {
            throw invalid("expected a string, found " + describe(t));
        }
        return p.getText();
    }

    /** Names a JSON token for error messages ("an object", "a string", "the end of the file"). */
    public static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT, END_ARRAY -> "the end of the " + (t == JsonToken.END_OBJECT ? "object" : "array");
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private InvalidServiceTagsException invalid(String problem) {
        return invalid(problem, null);
    }

    private InvalidServiceTagsException invalid(String problem, Throwable cause) {
        String where = "";
        if (p != null) {
            JsonLocation l = p.currentTokenLocation();
            where = "line " + l.getLineNr() + ", column " + l.getColumnNr();
        }
        if (!path.isEmpty()) {
            where = where.isEmpty() ? path : where + " (" + path + ")";
        }
        return new InvalidServiceTagsException(source, where, problem, cause);
    }

    /** Counts bytes and refuses to read past the limit (also after gzip: a bomb stops at the limit). */
    static final class LimitedInputStream extends java.io.FilterInputStream {
        private final long max;
        private final String source;
        private long count;

        LimitedInputStream(InputStream in, long max, String source) {
            super(in);
            this.max = max;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws IOException {
            count += n;
            if (count > max) {
                throw new InvalidServiceTagsException(source, "byte " + max,
                        "document larger than " + max + " bytes (LoadOptions.maxDocumentBytes)");
            }
        }
    }
}
