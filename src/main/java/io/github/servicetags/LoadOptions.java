package io.github.servicetags;

/**
 * Processing limits for loading service-tags files; every limit refuses a file with an
 * {@link InvalidServiceTagsException} naming the limit, instead of running out of memory or time.
 *
 * <pre>{@code
 * LoadOptions opts = LoadOptions.builder().maxTags(50_000).build();
 * ServiceTags st = ServiceTags.load(path, opts);
 * }</pre>
 */
public final class LoadOptions {
    private static final LoadOptions DEFAULTS = builder().build();

    private final long maxDocumentBytes;
    private final int maxTags;
    private final int maxPrefixesPerTag;
    private final int maxTotalPrefixes;
    private final int maxStringLength;
    private final int maxNestingDepth;

    private LoadOptions(Builder b) {
        this.maxDocumentBytes = b.maxDocumentBytes;
        this.maxTags = b.maxTags;
        this.maxPrefixesPerTag = b.maxPrefixesPerTag;
        this.maxTotalPrefixes = b.maxTotalPrefixes;
        this.maxStringLength = b.maxStringLength;
        this.maxNestingDepth = b.maxNestingDepth;
    }

    /** Returns the default limits. */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Maximum size of the JSON document in bytes, after gzip decompression; default 256 MiB. */
    public long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    /** Maximum number of tags ({@code values} entries); default 50,000. */
    public int maxTags() {
        return maxTags;
    }

    /** Maximum number of prefixes in one tag; default 200,000. */
    public int maxPrefixesPerTag() {
        return maxPrefixesPerTag;
    }

    /** Maximum number of prefixes in the whole file; default 2,000,000. */
    public int maxTotalPrefixes() {
        return maxTotalPrefixes;
    }

    /** Maximum length of any JSON string, in characters; default 1,000. */
    public int maxStringLength() {
        return maxStringLength;
    }

    /** Maximum nesting depth of JSON arrays and objects; default 16. */
    public int maxNestingDepth() {
        return maxNestingDepth;
    }

    @Override
    public String toString() {
        return "LoadOptions{maxDocumentBytes=" + maxDocumentBytes + ", maxTags=" + maxTags + ", maxPrefixesPerTag="
                + maxPrefixesPerTag + ", maxTotalPrefixes=" + maxTotalPrefixes + ", maxStringLength=" + maxStringLength
                + ", maxNestingDepth=" + maxNestingDepth + "}";
    }

    /** Builder of {@link LoadOptions}; every setter refuses values below 1. */
    public static final class Builder {
        private long maxDocumentBytes = 256L << 20;
        private int maxTags = 50_000;
        private int maxPrefixesPerTag = 200_000;
        private int maxTotalPrefixes = 2_000_000;
        private int maxStringLength = 1_000;
        private int maxNestingDepth = 16;

        private Builder() {}

        /** Sets {@link LoadOptions#maxDocumentBytes()}. */
        public Builder maxDocumentBytes(long bytes) {
            this.maxDocumentBytes = positive("maxDocumentBytes", bytes);
            return this;
        }

        /** Sets {@link LoadOptions#maxTags()}. */
        public Builder maxTags(int n) {
            this.maxTags = (int) positive("maxTags", n);
            return this;
        }

        /** Sets {@link LoadOptions#maxPrefixesPerTag()}. */
        public Builder maxPrefixesPerTag(int n) {
            this.maxPrefixesPerTag = (int) positive("maxPrefixesPerTag", n);
            return this;
        }

        /** Sets {@link LoadOptions#maxTotalPrefixes()}. */
        public Builder maxTotalPrefixes(int n) {
            this.maxTotalPrefixes = (int) positive("maxTotalPrefixes", n);
            return this;
        }

        /** Sets {@link LoadOptions#maxStringLength()}. */
        public Builder maxStringLength(int n) {
            this.maxStringLength = (int) positive("maxStringLength", n);
            return this;
        }

        /** Sets {@link LoadOptions#maxNestingDepth()}. */
        public Builder maxNestingDepth(int n) {
            this.maxNestingDepth = (int) positive("maxNestingDepth", n);
            return this;
        }

        /** Returns the options. */
        public LoadOptions build() {
            return new LoadOptions(this);
        }

        private static long positive(String name, long v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
            return v;
        }
    }
}
