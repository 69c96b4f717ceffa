package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression (found by {@code ServiceTagsLoaderFuzzTest}): the IPv6 bucket directory ({@code dir6}) compared only the
 * high 64 bits of interval starts with the bucket start, so in a bucket whose first intervals start at the bucket's
 * exact high half with a non-zero low half ({@code ::/128}, {@code 2603::4/128}) it pointed past them, and a lookup
 * of such an address answered the set of a later interval.
 */
class IndexBucketStartRegressionTest {
    private static ServiceTag tag(String name, String... prefixes) {
        return ServiceTag.builder(name)
                .prefixes(java.util.Arrays.stream(prefixes).map(IpPrefix::parse).toList()).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "2603::", "2603::4", "ffff::"})
    void anIntervalStartingAtTheBucketStartIsFound(String bucketStart) {
        IpPrefix start = IpPrefix.parse(bucketStart + "/128");
        IpPrefix next = IpPrefix.ofIPv6(start.high(), start.low() + 1, 128);
        ServiceTags st = ServiceTags.of("Public", 1, "test", List.of(
                tag("All", "::/0"),
                tag("Exact", start.toString()),
                tag("Next", next.toString())));
        assertEquals("[All, Exact]", st.lookup(start.address()).toString());
        assertEquals("[All, Next]", st.lookup(next.address()).toString());
        assertEquals("[All]", st.lookupIPv6(start.high(), start.low() + 2).toString());
    }
}
