package dev.modelfeedback.core.join;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link IdHash} against MurmurHash3's x64 128-bit reference: known answers from an independent
 * implementation (the {@code mmh3} Python package, {@code mmh3.hash_bytes(id.encode(), seed)}, its
 * two little-endian halves), and SMHasher's own verification value for the algorithm.
 */
final class IdHashTest {

    @ParameterizedTest
    @CsvSource({
        "'', 0, 0x0, 0x0",
        "a, 0, 0x85555565f6597889, 0xe6b53a48510e895a",
        "order-42, 0, 0xb7a02a54597a38ce, 0x7384652e1071d00c",
        "0123456789abcdef, 0, 0x4be06d94cf4ad1a7, 0x87c35b5c63a708da",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479, 0, 0x4b49096b805dd4fd, 0xba255b199929fc47",
        "f47ac10b-58cc-4372-a567-0e02b2c3d479, 123456789, 0x897f7be64b317c9b, 0xa189fdbc0fdf3175",
    })
    void equalsTheReferenceImplementation(String id, long seed, String h1, String h2) {
        long[] out = new long[2];
        IdHash.hash(id, seed, out);

        assertThat(out).containsExactly(Long.parseUnsignedLong(h1.substring(2), 16),
                Long.parseUnsignedLong(h2.substring(2), 16));
    }

    /**
     * SMHasher's VerificationTest: hash the keys {0}, {0, 1}, ... {0 .. 254} (and the empty key),
     * key i with seed 256 - i, then hash the 256 hashes with seed 0; the first four bytes of that,
     * little-endian, are 0x6384BA69 for MurmurHash3_x64_128. Bytes are given as characters 0-255,
     * which is how the hash reads a string.
     */
    @Test
    void passesSmHashersVerification() {
        StringBuilder hashes = new StringBuilder(256 * 16);
        StringBuilder key = new StringBuilder(256);
        long[] out = new long[2];
        for (int i = 0; i < 256; i++) {
            IdHash.hash(key.toString(), 256 - i, out);
            appendLittleEndian(hashes, out[0]);
            appendLittleEndian(hashes, out[1]);
            key.append((char) i);
        }
        IdHash.hash(hashes.toString(), 0, out);

        assertThat(out[0] & 0xFFFF_FFFFL).isEqualTo(0x6384BA69L);
    }

    @Test
    void aNamespaceSeedSeparatesModels() {
        long[] a = new long[2];
        long[] b = new long[2];
        IdHash.hash("order-42", IdHash.seed("fraud@v1"), a);
        IdHash.hash("order-42", IdHash.seed("fraud@v2"), b);

        assertThat(IdHash.seed("fraud@v1")).isEqualTo(IdHash.seed("fraud@v1")).isNotEqualTo(IdHash.seed("fraud@v2"));
        assertThat(a).isNotEqualTo(b);
    }

    private static void appendLittleEndian(StringBuilder to, long value) {
        for (int i = 0; i < 8; i++) {
            to.append((char) ((value >>> (8 * i)) & 0xFF));
        }
    }
}
