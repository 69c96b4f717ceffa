package io.github.servicetags.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.servicetags.InvalidServiceTagsException;
import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.LoadOptions;
import io.github.servicetags.Region;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import io.github.servicetags.TagSet;
import io.github.servicetags.testing.AddressSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Fuzzes the service-tags loader: bytes in, {@link ServiceTags#load(java.io.InputStream, String, LoadOptions)}.
 * In {@code mvn test} it replays the committed inputs under
 * {@code src/test/resources/io/github/servicetags/fuzz/ServiceTagsLoaderFuzzTestInputs/load/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} (docs/refusal.md).
 *
 * <p>Properties: every input either loads or is refused with an {@link InvalidServiceTagsException} (or another
 * {@link IOException}) whose message starts with the source name; never another exception, a hang or an
 * {@code OutOfMemoryError}. A loaded file answers consistently: the first and the last address of every prefix of
 * every tag look up to a set containing that tag, {@code tag(name)} finds each tag, {@code aggregatedPrefixes}
 * covers exactly the tag's addresses in the fewest prefixes, and {@code tagsInRegion} and {@code regionalTag} agree
 * with a scan of the tags' regionIds.
 */
class ServiceTagsLoaderFuzzTest {
    static final String SOURCE = "fuzz-input";

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"{\"changeNumber\":", "\"cloud\":\"Public\"", "\"values\":[", "{\"name\":\"A.B\"",
        "\"properties\":{", "\"addressPrefixes\":[", "\"regionId\":", "\"region\":\"westeurope\"",
        "\"networkFeatures\":", "\"10.0.0.0/8\"", "\"::/0\"", "\"::ffff:10.0.0.0/104\"", "\"2001:db8::/32\"",
        "\"0.0.0.0/0\"", "\"nextLink\":", "null"})
    void load(byte[] data) {
        ServiceTags st;
        try {
            st = ServiceTags.load(new ByteArrayInputStream(data), SOURCE, LoadOptions.defaults());
        } catch (InvalidServiceTagsException e) {
            assertEquals(SOURCE, e.source());
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
            assertFalse(e.problem() == null || e.problem().isBlank(), e.getMessage());
            return;
        } catch (IOException e) {
            assertNotNull(e.getMessage(), e.toString());
            return;
        }
        checkInvariants(st);
    }

    /**
     * The binary index form ({@link ServiceTags#read(java.io.InputStream, String)}): every input is a consistent index
     * or an {@link InvalidServiceTagsException}; an index read back from bytes written by {@link ServiceTags#write}
     * answers like the original. Regression inputs: {@code ServiceTagsLoaderFuzzTestInputs/readBinary/}.
     */
    @FuzzTest(maxDuration = "60s")
    void readBinary(byte[] data) throws IOException {
        ServiceTags st;
        try {
            st = ServiceTags.read(new ByteArrayInputStream(data), SOURCE);
        } catch (InvalidServiceTagsException e) {
            assertEquals(SOURCE, e.source());
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
            return;
        } catch (IOException e) {
            assertNotNull(e.getMessage(), e.toString());
            return;
        }
        checkInvariants(st);
        java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
        st.write(again);
        ServiceTags copy = ServiceTags.read(new ByteArrayInputStream(again.toByteArray()), SOURCE);
        assertEquals(st.tags().size(), copy.tags().size());
        for (ServiceTag t : st.tags()) {
            assertEquals(t.prefixes(), copy.prefixes(t.name()));
        }
    }

    /**
     * The decoder behind the checksum: the fuzzer's bytes become the payload of a binary index with a valid header
     * and CRC, so mutations reach the decoder instead of stopping at "checksum mismatch" (the checksum is not a
     * signature: a crafted file can carry a good one). Inputs: {@code ServiceTagsLoaderFuzzTestInputs/readPayload/},
     * payloads without the 20-byte header.
     */
    @FuzzTest(maxDuration = "60s")
    void readPayload(byte[] payload) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(payload);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20 + payload.length);
        b.put(new byte[] {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a}).putShort((short) 1).putShort((short) 0)
                .putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        readBinary(b.array());
    }

    /** What every loaded index must satisfy, whatever its content. */
    static void checkInvariants(ServiceTags st) {
        assertNotNull(st.toString());
        int v4 = 0;
        int v6 = 0;
        for (ServiceTag tag : st.tags()) {
            assertSame(tag, st.tag(tag.name()).orElseThrow());
            assertEquals(tag.prefixes(), st.prefixes(tag.name()));
            for (IpPrefix p : tag.prefixes()) {
                if (p.family() == IpFamily.IPV4) {
                    v4++;
                    assertContains(st.lookupIPv4(p.ipv4()), tag, p, "first");
                    assertContains(st.lookupIPv4((int) p.lastLow()), tag, p, "last");
                    assertContains(st.lookup(p.address()), tag, p, "InetAddress");
                } else {
                    v6++;
                    assertContains(st.lookupIPv6(p.high(), p.low()), tag, p, "first");
                    assertContains(st.lookupIPv6(p.lastHigh(), p.lastLow()), tag, p, "last");
                }
            }
            AddressSpace.assertAggregated(tag.prefixes(), st.aggregatedPrefixes(tag.name()), tag.name());
        }
        assertEquals(v4, st.prefixCount(IpFamily.IPV4));
        assertEquals(v6, st.prefixCount(IpFamily.IPV6));
        // the region join, against a scan of the tags: every regional tag is in the list of its regionId, in file
        // order, and nothing else is
        int joined = 0;
        for (Region r : st.regions()) {
            assertSame(r, st.region(r.name()));
            List<ServiceTag> want = st.tags().stream().filter(t -> t.isRegional() && t.regionId() == r.id()).toList();
            assertEquals(want, st.tagsInRegion(r), () -> "tagsInRegion(" + r + ")");
            joined += want.size();
            for (ServiceTag t : want) {
                ServiceTag regional = st.regionalTag(t.service(), r).orElseThrow(
                        () -> new AssertionError(t.name() + " has no regionalTag in " + r));
                assertEquals(r.id(), regional.regionId(), t.name());
                assertTrue(regional.service().equalsIgnoreCase(t.service()), t.name() + " -> " + regional.name());
            }
        }
        assertEquals(st.tags().stream().filter(ServiceTag::isRegional).count(), joined,
                "regional tags outside every region");
    }

    private static void assertContains(TagSet set, ServiceTag tag, IpPrefix p, String which) {
        assertTrue(set.contains(tag.name()), () -> "the " + which + " address of " + p + " of " + tag.name()
                + " looks up to " + set);
    }
}
