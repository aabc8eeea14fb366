package dev.modelfeedback.core.join;

/**
 * A 128-bit hash of an id, in the style of MurmurHash3's x64 128-bit variant, over the id's UTF-16
 * code units (eight per 128-bit block), seeded per namespace. Two distinct ids of one namespace
 * collide with probability about n² / 2^129 for n ids: for ten million, about 10^-25.
 *
 * <p>Stateless and thread-safe.
 */
final class IdHash {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private IdHash() {
    }

    /** A seed for a namespace, so that the same id in two models has two unrelated keys. */
    static long seed(String namespace) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < namespace.length(); i++) {
            h = (h ^ namespace.charAt(i)) * 0x100000001B3L;
        }
        return fmix64(h);
    }

    /** The high 64 bits are written to {@code out[0]}, the low 64 to {@code out[1]}. */
    static void hash(String id, long seed, long[] out) {
        long h1 = seed;
        long h2 = seed;
        int length = id.length();
        int blocks = length / 8;
        for (int b = 0; b < blocks; b++) {
            int at = b * 8;
            long k1 = chars(id, at);
            long k2 = chars(id, at + 4);
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        long k1 = 0;
        long k2 = 0;
        int tail = blocks * 8;
        for (int i = tail; i < length; i++) {
            long c = id.charAt(i);
            int lane = i - tail;
            if (lane < 4) {
                k1 |= c << (16 * lane);
            } else {
                k2 |= c << (16 * (lane - 4));
            }
        }
        if (k2 != 0) {
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
        }
        if (k1 != 0) {
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out[0] = h1;
        out[1] = h2;
    }

    private static long chars(String s, int at) {
        return s.charAt(at) | (long) s.charAt(at + 1) << 16 | (long) s.charAt(at + 2) << 32 | (long) s.charAt(at + 3) << 48;
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
