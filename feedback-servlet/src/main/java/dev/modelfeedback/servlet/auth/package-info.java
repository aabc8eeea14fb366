/**
 * Who may write: {@link dev.modelfeedback.servlet.auth.BearerTokenFilter}, a servlet filter that
 * lets through only requests with one of the {@link dev.modelfeedback.servlet.auth.BearerTokens}
 * and refuses the rest with {@code 401}, counted in {@code feedback_rejected_total{reason="unauthorized"}}.
 */
@NullMarked
package dev.modelfeedback.servlet.auth;

import org.jspecify.annotations.NullMarked;
