package io.github.servicetags.spark;

import io.github.servicetags.TagSet;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/** {@code service_tags(ip STRING) -> ARRAY<STRING>}: every tag containing the address, sorted. */
final class ServiceTagsFunction extends IndexFunction<ArrayData> {
    private static final long serialVersionUID = 1L;

    ServiceTagsFunction(String name, String sha256, Broadcast<IndexPayload> broadcast, boolean strict,
            LongAccumulator invalidInputs) {
        super(name, sha256, broadcast, strict, invalidInputs);
    }

    @Override
    public DataType[] inputTypes() {
        return new DataType[] {DataTypes.StringType};
    }

    @Override
    public DataType resultType() {
        return DataTypes.createArrayType(DataTypes.StringType, false);
    }

    @Override
    public ArrayData produceResult(InternalRow input) {
        if (input.isNullAt(0)) {
            return null;
        }
        LoadedIndex index = index();
        TagSet set = lookup(index, input.getUTF8String(0));
        return set == null ? null : index.answer(set);
    }
}
