/**
 * The pending-prediction store on Redis, shared by every replica of a model server:
 * {@link dev.modelfeedback.redis.RedisPendingStore}.
 */
@NullMarked
package dev.modelfeedback.redis;

import org.jspecify.annotations.NullMarked;
