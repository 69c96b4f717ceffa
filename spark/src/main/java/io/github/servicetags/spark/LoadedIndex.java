package io.github.servicetags.spark;

import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One decoded index in an executor JVM, shared by every task, with the answer of {@code service_tags} pre-built for
 * each distinct {@link TagSet}: a row costs a lookup and an identity-map probe, never an allocation.
 *
 * <p>The answers are built eagerly for every {@code TagSet} the index can return ({@link ServiceTags#tagSets()}, the
 * very instances lookups return). The map is never written after construction, so readers need no lock.
 */
final class LoadedIndex {
    private final ServiceTags serviceTags;
    private final String sha256;
    private final long sequence;
    private final Map<TagSet, ArrayData> answers;
    private final AtomicLong misses = new AtomicLong();

    LoadedIndex(ServiceTags serviceTags, String sha256, long sequence) {
        this.serviceTags = serviceTags;
        this.sha256 = sha256;
        this.sequence = sequence;
        IdentityHashMap<TagSet, ArrayData> m = new IdentityHashMap<>(serviceTags.tagSets().size() * 2);
        for (TagSet set : serviceTags.tagSets()) {
            m.put(set, toArrayData(set));
        }
        this.answers = m;
    }

    ServiceTags serviceTags() {
        return serviceTags;
    }

    String sha256() {
        return sha256;
    }

    long sequence() {
        return sequence;
    }

    /** Returns the pre-built array for a set; builds one (and counts a miss) for a set the scan did not meet. */
    ArrayData answer(TagSet set) {
        ArrayData a = answers.get(set);
        if (a == null) {
            misses.incrementAndGet();
            a = toArrayData(set);
        }
        return a;
    }

    /** Returns how many distinct tag sets were pre-built. */
    int distinctAnswers() {
        return answers.size();
    }

    /** Returns how often {@link #answer} met a set that was not pre-built (0 unless the index changes shape). */
    long misses() {
        return misses.get();
    }

    static ArrayData toArrayData(TagSet set) {
        Object[] names = new Object[set.size()];
        int i = 0;
        for (String n : set.names()) {
            names[i++] = UTF8String.fromString(n);
        }
        return new GenericArrayData(names);
    }
}
