package dev.corobridge.examples;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for a fan-out, on standard error: redrawn in place on a terminal, one plain line
 * per step when the output goes to a file or a pipe (a log stays readable). The bar is the
 * progressbar library's; corobridge only tells it how far the tasks have come.
 */
final class ProgressBars {
    private ProgressBars() {}

    /** A bar for {@code total} tasks; close it when they are done. */
    static ProgressBar create(String name, int total) {
        var builder =
                new ProgressBarBuilder()
                        .setTaskName(name)
                        .setInitialMax(total)
                        .setUpdateIntervalMillis(100);
        if (!onTerminal()) {
            // No redraws: a line when the bar is stepped (see step), none from the bar's timer.
            builder.setConsumer(new DelegatingProgressBarConsumer(System.err::println))
                    .setStyle(ProgressBarStyle.ASCII) // no colour codes in a log
                    .setUpdateIntervalMillis(Integer.MAX_VALUE);
        }
        return builder.build();
    }

    /** Moves the bar to {@code done}, printing a line at once when not on a terminal. */
    static void stepTo(ProgressBar bar, int done) {
        bar.stepTo(done);
        if (!onTerminal()) {
            bar.refresh();
        }
    }

    /** True when standard output is an interactive terminal. */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+ has a console even when redirected, and tells which with isTerminal()
            var isTerminal =
                    MethodHandles.publicLookup()
                            .findVirtual(
                                    Console.class,
                                    "isTerminal",
                                    MethodType.methodType(boolean.class));
            return (boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException before22) {
            return true;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
