/**
 * Benchmarks: JMH microbenchmarks of the hot paths ({@link
 * dev.corobridge.benchmarks.RoundTripBenchmark}, {@link dev.corobridge.benchmarks.GatherBenchmark},
 * {@link dev.corobridge.benchmarks.SleepFanOutBenchmark}, {@link
 * dev.corobridge.benchmarks.AwaitHandOffBenchmark}, with Kotlin sides in {@link
 * dev.corobridge.benchmarks.KotlinMicro}; run through {@link dev.corobridge.benchmarks.Micro}) and
 * a side-by-side macro harness ({@link dev.corobridge.benchmarks.SideBySide}) that runs each
 * workload in a separate process per system: corobridge, raw kotlinx ({@link
 * dev.corobridge.benchmarks.KotlinBaseline}), virtual threads, {@code CompletableFuture} and Python
 * asyncio.
 */
@NullMarked
package dev.corobridge.benchmarks;

import org.jspecify.annotations.NullMarked;
