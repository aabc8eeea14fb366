package dev.modelfeedback.core.join;

/**
 * A 128-bit hash of an id: MurmurHash3's x64 128-bit variant over the id's ASCII characters (one
 * byte each, sixteen per block), with a seed; seed 0 gives MurmurHash3's own value. Stores key ids
 * by it instead of keeping the strings: {@link InMemoryPendingStore} keeps 92 of the 128 bits,
 * seeded per namespace (two of n ids it holds share a key with probability about n² / 2^93, for
 * ten million about 10^-14); a shared store may keep fewer, unseeded.
 *
 * <p>Stateless and thread-safe.
 */
public final class IdHash {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private IdHash() {
    }

    /** A seed for a namespace, so that the same id in two models has two unrelated keys. */
    public static long seed(String namespace) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < namespace.length(); i++) {
            h = (h ^ namespace.charAt(i)) * 0x100000001B3L;
        }
        return fmix64(h);
    }

    /**
     * The high 64 bits are written to {@code out[0]}, the low 64 to {@code out[1]}. Reads the id
     * sixteen characters per 128-bit block, a byte each: ids are ASCII ({@link Ids}).
     *
     * @param id a valid id ({@link Ids#requireValid})
     * @param seed the seed; 0 for MurmurHash3's own value
     * @param out where the two halves go
     */
    public static void hash(String id, long seed, long[] out) {
        long h1 = seed;
        long h2 = seed;
        int length = id.length();
        int blocks = length / 16;
        for (int b = 0; b < blocks; b++) {
            int at = b * 16;
            long k1 = bytes(id, at, 8);
            long k2 = bytes(id, at + 8, 8);
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
        int tail = blocks * 16;
        int rest = length - tail;
        long k1 = bytes(id, tail, Math.min(rest, 8));
        long k2 = rest > 8 ? bytes(id, tail + 8, rest - 8) : 0;
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

    /** Up to eight characters from {@code at}, the first in the lowest byte. */
    private static long bytes(String s, int at, int count) {
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
