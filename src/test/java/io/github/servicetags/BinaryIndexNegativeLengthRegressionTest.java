package io.github.servicetags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Regression (found by {@code ServiceTagsLoaderFuzzTest#readPayload}): a binary index with a valid header and
 * checksum whose payload holds a varint of 2^63 or more (negative as a {@code long}) as a string length or a string
 * index passed the range checks ({@code n > remain}, {@code i >= strings.length}) and escaped from
 * {@link ServiceTags#read} as an {@code IndexOutOfBoundsException} instead of an {@link InvalidServiceTagsException}.
 * The checksum is not a signature: anyone can write a file with a good one. The fix: the range checks compare as
 * unsigned (a ten-byte varint holds up to 2^64 - 1; see {@code BinaryIndexFormatTest}).
 */
class BinaryIndexNegativeLengthRegressionTest {
    /** The payload wrapped in a valid version-1 header with its CRC32. */
    static byte[] withHeader(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return ByteBuffer.allocate(20 + payload.length)
                .put(new byte[] {(byte) 0x89, 'S', 'T', 'A', 'G', '\r', '\n', 0x1a}).putShort((short) 1)
                .putShort((short) 0).putInt(payload.length).putInt((int) crc.getValue()).put(payload).array();
    }

    @Test
    void aNegativeStringIndexIsAnInvalidFileNotAnIndexOutOfBounds() {
        // string table: 1 string "Public"; then the cloud as string index 2^64 - 1
        byte[] payload = {1, 6, 'P', 'u', 'b', 'l', 'i', 'c', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0, 0};
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> ServiceTags.read(new ByteArrayInputStream(withHeader(payload)), "crafted.bin"));
        assertEquals("crafted.bin: byte 38: string index 18446744073709551615 is outside the table of 1",
                e.getMessage());
    }

    @Test
    void aNegativeStringLengthIsAnInvalidFileNotAnIndexOutOfBounds() {
        // string table: 1 string, whose length varint is 2^64 - 1 (ten bytes), then a few bytes of "content"
        byte[] payload = {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 'P', 'u', 'b'};
        InvalidServiceTagsException e = assertThrows(InvalidServiceTagsException.class,
                () -> ServiceTags.read(new ByteArrayInputStream(withHeader(payload)), "crafted.bin"));
        assertEquals("crafted.bin: byte 21: string length 18446744073709551615 is larger than the 3 bytes that "
                + "remain", e.getMessage());
    }
}
