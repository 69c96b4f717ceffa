package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code service_tag_match(ip STRING, tag STRING) -> BOOLEAN}: whether the tag contains the address. A tag name
 * that the data does not have is most likely a typo, which would silently answer false for every row: it is
 * counted (or an error listing the closest names, in strict mode). Public only because Spark's generated code calls
 * {@link #invoke} directly; register it with {@link ServiceTagsSpark}.
 */
public final class ServiceTagMatchFunction extends IndexFunction<Boolean> {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator unknownTags;
    // The last tag name seen, decoded once: the tag is usually a literal, so a row costs a byte comparison.
    private transient TagName last;

    ServiceTagMatchFunction(String name, String sha256, Broadcast<IndexPayload> broadcast, boolean strict,
            LongAccumulator invalidInputs, LongAccumulator unknownTags) {
        super(name, sha256, broadcast, strict, invalidInputs);
        this.unknownTags = unknownTags;
    }

    @Override
    public DataType[] inputTypes() {
        return new DataType[] {DataTypes.StringType, DataTypes.StringType};
    }

    @Override
    public DataType resultType() {
        return DataTypes.BooleanType;
    }

    @Override
    public Boolean produceResult(InternalRow input) {
        if (input.isNullAt(0) || input.isNullAt(1)) {
            return null;
        }
        return invoke(input.getUTF8String(0), input.getUTF8String(1));
    }

    /** The magic method Spark calls from generated code; see {@link ServiceTagsFunction#invoke}. */
    public Boolean invoke(UTF8String ip, UTF8String tagText) {
        if (ip == null || tagText == null) {
            return null;
        }
        LoadedIndex index = index();
        TagName tag = tagName(index.serviceTags(), tagText);
        TagSet set = lookup(index, ip);
        if (set == null) {
            return null;
        }
        if (!tag.known) {
            if (strict) {
                try {
                    index.serviceTags().require(tag.name);
                } catch (IllegalArgumentException e) {
                    // UnknownNameException: its message lists the closest names.
                    throw new IllegalArgumentException(name() + ": " + e.getMessage() + " (strict mode)", e);
                }
            }
            unknownTags.add(1);
            return Boolean.FALSE;
        }
        return set.contains(tag.name) ? Boolean.TRUE : Boolean.FALSE;
    }

    private TagName tagName(ServiceTags st, UTF8String utf8) {
        TagName t = last;
        if (t == null || !t.utf8.equals(utf8)) {
            String name = utf8.toString();
            // clone(): the row's bytes may be reused for the next row.
            t = new TagName(utf8.clone(), name, st.tag(name).isPresent());
            last = t;
        }
        return t;
    }

    private static final class TagName {
        final UTF8String utf8;
        final String name;
        final boolean known;

        TagName(UTF8String utf8, String name, boolean known) {
            this.utf8 = utf8;
            this.name = name;
            this.known = known;
        }
    }
}
