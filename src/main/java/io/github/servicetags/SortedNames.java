package io.github.servicetags;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SortedSet;

/**
 * An unmodifiable {@link SortedSet} view of a sorted, duplicate-free {@code String[]} range: the names of a
 * {@link TagSet} for a fraction of the memory of a {@code TreeSet} (one small object over a shared array).
 */
final class SortedNames extends AbstractSet<String> implements SortedSet<String> {
    private final String[] a;
    private final int from;
    private final int to;

    SortedNames(String[] sorted) {
        this(sorted, 0, sorted.length);
    }

    private SortedNames(String[] a, int from, int to) {
        this.a = a;
        this.from = from;
        this.to = to;
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int i = from;

            @Override
            public boolean hasNext() {
                return i < to;
            }

            @Override
            public String next() {
                if (i >= to) {
                    throw new NoSuchElementException();
                }
                return a[i++];
            }
        };
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof String s && Arrays.binarySearch(a, from, to, s) >= 0;
    }

    @Override
    public Comparator<? super String> comparator() {
        return null; // natural order: String.compareTo
    }

    @Override
    public SortedSet<String> subSet(String fromElement, String toElement) {
        if (fromElement.compareTo(toElement) > 0) {
            throw new IllegalArgumentException("fromElement > toElement");
        }
        return new SortedNames(a, index(fromElement), index(toElement));
    }

    @Override
    public SortedSet<String> headSet(String toElement) {
        return new SortedNames(a, from, index(toElement));
    }

    @Override
    public SortedSet<String> tailSet(String fromElement) {
        return new SortedNames(a, index(fromElement), to);
    }

    /** The first position in [from, to] whose element is not less than {@code s}. */
    private int index(String s) {
        int i = Arrays.binarySearch(a, from, to, s);
        return i >= 0 ? i : -i - 1;
    }

    @Override
    public String first() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return a[from];
    }

    @Override
    public String last() {
        if (from == to) {
            throw new NoSuchElementException();
        }
        return a[to - 1];
    }
}
