/**
 * The analysis layer: what a statement is and what it touches, before any routing decision.
 *
 * <p>Path of one statement: {@link io.shardgate.analysis.SqlLexer#split} (multi-statement strings),
 * {@link io.shardgate.analysis.SqlLexer#lex} (classification, hints, and for DML a normalised text in which literals
 * and parameters are {@code ?} slots), then {@link io.shardgate.analysis.Analyzer#analyze}, which looks the
 * normalised text up in a Caffeine cache and on a miss parses it with Calcite (or, when Calcite cannot, reads it
 * with {@link io.shardgate.analysis.TokenFallbackAnalyzer}). The cached {@link io.shardgate.analysis.StatementInfo}
 * holds no values: it refers to {@link io.shardgate.analysis.LexedStatement#slots()} by index, so one entry serves
 * every execution. Offsets in the analysis are offsets of the normalised text; map them with
 * {@link io.shardgate.analysis.LexedStatement#toOriginalOffset} to splice the original text, which is what reaches
 * the shards.
 */
package io.shardgate.analysis;
