/**
 * The status page of {@code GET /feedback} for browsers: content negotiation
 * ({@link dev.modelfeedback.servlet.page.AcceptHeader}) and the page with its assets, served from
 * the jar ({@link dev.modelfeedback.servlet.page.StatusPage}).
 */
@NullMarked
package dev.modelfeedback.servlet.page;

import org.jspecify.annotations.NullMarked;
