package io.github.servicetags.spark;

import io.github.servicetags.TagSet;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;

/**
 * {@code service_tags(ip STRING) -> ARRAY<STRING>}: every tag containing the address, sorted. Public only because
 * Spark's generated code calls {@link #invoke} directly; register it with {@link ServiceTagsSpark}.
 */
public final class ServiceTagsFunction extends IndexFunction<ArrayData> {
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

    /**
     * The magic method Spark calls from generated code with the column's own bytes, no row in between (see
     * {@link ScalarFunction#MAGIC_METHOD_NAME}).
     */
    public ArrayData invoke(UTF8String ip) {
        if (ip == null) {
            return null;
        }
        LoadedIndex index = index();
        TagSet set = lookup(index, ip);
        return set == null ? null : index.answer(set);
    }

    @Override
    public ArrayData produceResult(InternalRow input) {
        return input.isNullAt(0) ? null : invoke(input.getUTF8String(0));
    }
}
