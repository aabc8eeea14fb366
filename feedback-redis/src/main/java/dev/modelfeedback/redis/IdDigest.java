package dev.modelfeedback.redis;

import dev.modelfeedback.core.join.IdHash;

/**
 * The 80-bit digest under which an id is kept in Redis: the 128-bit MurmurHash3 (x64 variant,
 * seed 0, {@link IdHash}) of the id's ASCII characters, its first half {@code h1} and the top 16
 * bits of its second, big-endian. Two of n ids held in one namespace share a digest with probability about n² / 2^81:
 * for ten million ids, about 4 × 10^-11. Bytes 2 to 4 also choose the id's bucket, so ids spread
 * evenly over the buckets.
 *
 * <p>Stateless and thread-safe.
 */
final class IdDigest {

    /** Bytes of a digest. */
    static final int LENGTH = 10;

    private IdDigest() {
    }

    /**
     * Writes the digest of {@code id} into {@code out} from {@code offset}.
     *
     * @param id an id that passed {@link dev.modelfeedback.core.join.Ids#requireValid}: ASCII only
     */
    static void write(String id, byte[] out, int offset) {
        long[] hash = new long[2];
        IdHash.hash(id, 0, hash);
        long h1 = hash[0];
        long h2 = hash[1];
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
}
