package dev.modelfeedback.redis;

/**
 * The 80-bit digest under which an id is kept in Redis: the 128-bit MurmurHash3 (x64 variant,
 * seed 0) of the id's ASCII characters, its first half {@code h1} and the top 16 bits of its second,
 * big-endian. Two of n ids held in one namespace share a digest with probability about n² / 2^81:
 * for ten million ids, about 4 × 10^-11. Bytes 2 to 4 also choose the id's bucket, so ids spread
 * evenly over the buckets.
 *
 * <p>Stateless and thread-safe.
 */
final class IdDigest {

    /** Bytes of a digest. */
    static final int LENGTH = 10;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private IdDigest() {
    }

    /**
     * Writes the digest of {@code id} into {@code out} from {@code offset}.
     *
     * @param id an id that passed {@link dev.modelfeedback.core.join.Ids#requireValid}: ASCII only
     */
    static void write(String id, byte[] out, int offset) {
        long h1 = 0;
        long h2 = 0;
        int length = id.length();
        int blocks = length / 16;
        for (int b = 0; b < blocks; b++) {
            h1 ^= mixK1(littleEndian(id, b * 16, 8));
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(littleEndian(id, b * 16 + 8, 8));
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        int rest = length - tail;
        if (rest > 8) {
            h2 ^= mixK2(littleEndian(id, tail + 8, rest - 8));
        }
        if (rest > 0) {
            h1 ^= mixK1(littleEndian(id, tail, Math.min(rest, 8)));
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (h1 >>> (56 - 8 * i));
        }
        out[offset + 8] = (byte) (h2 >>> 56);
        out[offset + 9] = (byte) (h2 >>> 48);
    }

    /** The digest of {@code id} alone. */
    static byte[] of(String id) {
        byte[] digest = new byte[LENGTH];
        write(id, digest, 0);
        return digest;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    /** Up to eight characters from {@code at}, the first in the lowest byte. */
    private static long littleEndian(String s, int at, int count) {
        long k = 0;
        for (int i = count - 1; i >= 0; i--) {
            k = k << 8 | (s.charAt(at + i) & 0xFF);
        }
        return k;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
