package io.github.servicetags.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.servicetags.IpPrefix;
import io.github.servicetags.RealData;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The shipped form decodes to an index that answers exactly like the original, for the real files. */
class BroadcastCodecTest {
    static final List<String> FILES = RealData.FILES;

    @ParameterizedTest
    @FieldSource("FILES")
    void roundTripAnswersLikeTheOriginal(String file) {
        ServiceTags original = RealData.load(file);
        IndexPayload payload = BroadcastCodec.encode(original);
        assertEquals(BroadcastCodec.sha256(payload.bytes()), payload.sha256());
        ServiceTags decoded = BroadcastCodec.decode(payload);
        assertEquals(original.changeNumber(), decoded.changeNumber());
        assertEquals(original.cloud(), decoded.cloud());
        assertEquals(original.tags().size(), decoded.tags().size());
        for (int i = 0; i < original.tags().size(); i++) {
            ServiceTag a = original.tags().get(i);
            ServiceTag b = decoded.tags().get(i);
            assertEquals(a.name(), b.name());
            assertEquals(a.prefixes(), b.prefixes(), a.name());
            assertEquals(a.regionId(), b.regionId(), a.name());
        }
        FlowRecords flows = new FlowRecords(original, 11);
        for (int i = 0; i < 100_000; i++) {
            String ip = flows.nextAddress();
            if (ip == null) {
                continue;
            }
            Object expected;
            Object actual;
            try {
                expected = original.lookup(ip).names();
            } catch (IllegalArgumentException e) {
                expected = "invalid";
            }
            try {
                actual = decoded.lookup(ip).names();
            } catch (IllegalArgumentException e) {
                actual = "invalid";
            }
            assertEquals(expected, actual, ip);
        }
    }

    @org.junit.jupiter.api.Test
    void bundledSnapshotRoundTrips() {
        ServiceTags st = ServiceTags.bundled();
        ServiceTags decoded = BroadcastCodec.decode(BroadcastCodec.encode(st));
        assertEquals(st.lookup("20.38.98.1").names(), decoded.lookup("20.38.98.1").names());
        assertEquals(st.prefixes("Sql.WestEurope"), decoded.prefixes("Sql.WestEurope"));
        assertEquals(st.source(), decoded.source());
    }

    @ParameterizedTest
    @FieldSource("FILES")
    void boundaryScanMeetsEveryAnswer(String file) {
        ServiceTags st = RealData.load(file);
        LoadedIndex loaded = new LoadedIndex(st, "test", 0);
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        FlowRecords flows = new FlowRecords(st, 3);
        for (int i = 0; i < 200_000; i++) {
            String ip = flows.nextAddress();
            try {
                var set = st.lookup(ip == null ? "" : ip);
                assertSame(loaded.answer(set), loaded.answer(set));
                seen.put(set, true);
            } catch (IllegalArgumentException e) {
                // not an address
            }
        }
        assertEquals(0, loaded.misses(), "tag sets met by lookups but not by the boundary scan");
        assertNotEquals(0, loaded.distinctAnswers());
        // Every prefix's first address lands on a pre-built answer.
        for (ServiceTag t : st.tags()) {
            for (IpPrefix p : t.prefixes()) {
                loaded.answer(st.lookup(p.address()));
            }
        }
        assertEquals(0, loaded.misses());
    }
}
