package com.polydebate.storage;

import java.util.Optional;

/**
 * A byte range in the three forms HTTP (RFC 9110) and S3 accept: from a position to the end, between two
 * positions, or the last n bytes. Which bytes that is depends on the blob's size, known only to the store.
 */
public sealed interface ByteRange {
    ByteRange ALL = new From(0);

    /** The inclusive span this range covers in a blob of {@code size} bytes; empty when it covers no byte. */
    Optional<Span> within(long size);

    /** Bytes {@code first} to the end. */
    record From(long first) implements ByteRange {
        public From {
            requireNotNegative(first);
        }

        @Override
        public Optional<Span> within(long size) {
            return first < size ? Optional.of(new Span(first, size - 1)) : Optional.empty();
        }
    }

    /** Bytes {@code first} to {@code last} inclusive, cut at the end of the blob; none when last is before first. */
    record Between(long first, long last) implements ByteRange {
        public Between {
            requireNotNegative(first);
            requireNotNegative(last);
        }

        @Override
        public Optional<Span> within(long size) {
            return first < size && first <= last ? Optional.of(new Span(first, Math.min(last, size - 1)))
                    : Optional.empty();
        }
    }

    /** The last {@code length} bytes, or the whole blob when it is shorter. */
    record Last(long length) implements ByteRange {
        public Last {
            requireNotNegative(length);
        }

        @Override
        public Optional<Span> within(long size) {
            return length > 0 && size > 0 ? Optional.of(new Span(Math.max(0, size - length), size - 1))
                    : Optional.empty();
        }
    }

    /** Positions {@code first} to {@code last} inclusive, both inside the blob. */
    record Span(long first, long last) {
        public long length() {
            return last - first + 1;
        }
    }

    private static void requireNotNegative(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("A byte position cannot be negative: " + position);
        }
    }
}
