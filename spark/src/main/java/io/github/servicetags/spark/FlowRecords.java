package io.github.servicetags.spark;

import io.github.servicetags.IpFamily;
import io.github.servicetags.IpPrefix;
import io.github.servicetags.ServiceTag;
import io.github.servicetags.ServiceTags;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic source of synthetic flow-log addresses drawn from a real service-tags file: mostly addresses
 * inside the file's prefixes (IPv4, IPv6, first and last addresses, IPv4-mapped), some random addresses outside,
 * and a few rows of text that is not an address or no address at all, as real logs have.
 */
public final class FlowRecords {
    /** Text that is not an address; each is refused by the library's strict parser. */
    static final String[] INVALID = {
        "010.1.1.1", "1.2.3", "256.0.0.1", " 10.0.0.1", "10.0.0.1 ", "1.2.3.4.5", "0x7f.0.0.1", "fe80::1%eth0",
        "host.example.com", "2001:db8:::1", "1.2.3.4/32", "\u0661.\u0662.\u0663.\u0664", "-", "::ffff:1.2.3.04",
    };

    private final IpPrefix[] ipv4;
    private final IpPrefix[] ipv6;
    private final SplittableRandom random;

    /** Draws from the prefixes of the given data with a fixed seed. */
    public FlowRecords(ServiceTags serviceTags, long seed) {
        List<IpPrefix> v4 = new ArrayList<>();
        List<IpPrefix> v6 = new ArrayList<>();
        for (ServiceTag t : serviceTags.tags()) {
            for (IpPrefix p : t.prefixes()) {
                (p.family() == IpFamily.IPV4 ? v4 : v6).add(p);
            }
        }
        this.ipv4 = v4.toArray(new IpPrefix[0]);
        this.ipv6 = v6.toArray(new IpPrefix[0]);
        this.random = new SplittableRandom(seed);
    }

    /** Returns the next destination address text, or null for a record without one. */
    public String nextAddress() {
        int r = random.nextInt(1000);
        if (r < 650) {
            return ipv4Text(inside4(ipv4[random.nextInt(ipv4.length)]));
        } else if (r < 800) {
            return ipv4Text(random.nextInt());
        } else if (r < 900 && ipv6.length > 0) {
            IpPrefix p = ipv6[random.nextInt(ipv6.length)];
            long hostHigh = p.length() >= 64 ? 0 : -1L >>> p.length();
            long hostLow = p.length() >= 64 ? (p.length() == 128 ? 0 : -1L >>> (p.length() - 64)) : -1L;
            return ipv6Text(p.high() | (random.nextLong() & hostHigh), p.low() | (random.nextLong() & hostLow));
        } else if (r < 920) {
            return "::ffff:" + ipv4Text(inside4(ipv4[random.nextInt(ipv4.length)]));
        } else if (r < 950) {
            IpPrefix p = ipv4[random.nextInt(ipv4.length)];
            return ipv4Text(random.nextBoolean() ? p.ipv4() : (int) p.lastLow());
        } else if (r < 975) {
            return INVALID[random.nextInt(INVALID.length)];
        } else if (r < 985) {
            return "";
        }
        return null;
    }

    /** Returns the next source address (private ranges, as in a VNet flow log). */
    public String nextSource() {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** Returns a random number in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private int inside4(IpPrefix p) {
        int host = p.length() == 32 ? 0 : (int) (0xffffffffL >>> p.length());
        return p.ipv4() | (random.nextInt() & host);
    }

    static String ipv4Text(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    static String ipv6Text(long high, long low) {
        String cidr = IpPrefix.ofIPv6(high, low, 128).toString();
        return cidr.substring(0, cidr.indexOf('/'));
    }
}
