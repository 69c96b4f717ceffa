package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The index build's radix sort against {@code Arrays.sort}: random keys of every width, ties, and tiny inputs. */
class PrefixIndexSortTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 17, 1000, 100_000})
    void radixSortEqualsArraysSort(int n) {
        SplittableRandom r = new SplittableRandom(n);
        for (int bits : new int[] {1, 8, 16, 17, 33, 54, 63}) {
            long[] a = new long[n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextLong() >>> (64 - bits);
            }
            long[] want = a.clone();
            Arrays.sort(want, 0, n);
            PrefixIndexBuilder.radixSort(a, n);
            assertArrayEquals(want, a, "n=" + n + ", bits=" + bits);
        }
    }
}
