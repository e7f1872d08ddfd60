package dev.corobridge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * The harness's chart, {@code docs/benchmarks.svg}: horizontal bars, one per system, in one panel
 * for retained heap per sleeping task and one per workload for wall time per task. Hand-written
 * SVG, so the report needs no plotting library.
 *
 * <p>Each panel is scaled to its own largest bar (linear), and every bar carries its value as text
 * at its end: a bar a hundred times shorter than its neighbour is still read exactly.
 */
final class Chart {
    private static final int WIDTH = 760;
    private static final int LABEL_RIGHT = 170; // labels end here, right-aligned
    private static final int BAR_LEFT = 180;
    private static final int BAR_MAX_WIDTH = 460; // leaves room for the value after the longest
    private static final int ROW_HEIGHT = 20;
    private static final int BAR_HEIGHT = 14;
    private static final int PANEL_TITLE_HEIGHT = 26;
    private static final int PANEL_GAP = 18;

    private Chart() {}

    /** One panel: a title and a value per system; NaN for a system that was not measured. */
    private record Panel(
            String title,
            List<Contender> systems,
            List<Double> values,
            DoubleFunction<String> format) {}

    /** The SVG document of {@code results}, sized for the panels it has. */
    static String svg(Options options, SideBySide.Results results) {
        List<Panel> panels = panels(options, results);
        StringBuilder body = new StringBuilder();
        int y = 36;
        for (Panel panel : panels) {
            y = panel(body, panel, y) + PANEL_GAP;
        }
        int height = y + 4;
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">
                <rect width="100%%" height="100%%" fill="white"/>
                <text x="8" y="20" font-size="14" font-weight="bold">%s</text>
                %s</svg>
                """
                .formatted(
                        WIDTH,
                        height,
                        WIDTH,
                        height,
                        escape(
                                String.format(
                                        Locale.ROOT,
                                        "corobridge side by side: medians of %d run%s; each panel"
                                                + " has its own scale",
                                        options.runs(),
                                        options.runs() == 1 ? "" : "s")),
                        body);
    }

    private static List<Panel> panels(Options options, SideBySide.Results results) {
        List<Panel> panels = new ArrayList<>();
        for (Workload workload : options.workloads()) {
            if (!workload.sleeps()) {
                continue;
            }
            List<Contender> systems = results.contenders(workload);
            panels.add(
                    new Panel(
                            "retained heap per task (bytes): "
                                    + String.format(
                                            Locale.ROOT,
                                            "%,d %s",
                                            options.size(workload),
                                            workload == Workload.SLEEPS
                                                    ? "sleeping tasks"
                                                    : "task bodies awaiting a sleep"),
                            systems,
                            values(systems, c -> Report.heapPerTask(results, workload, c)),
                            Report::bytes));
        }
        for (Workload workload : options.workloads()) {
            List<Contender> systems = results.contenders(workload);
            panels.add(
                    new Panel(
                            (workload == Workload.QUEUE
                                            ? "wall time per item: "
                                            : "wall time per task: ")
                                    + Report.heading(options, workload),
                            systems,
                            values(systems, c -> Report.wallPerTask(options, results, workload, c)),
                            Report::duration));
        }
        return panels;
    }

    private static List<Double> values(List<Contender> systems, ToDoubleFunction<Contender> value) {
        List<Double> values = new ArrayList<>();
        for (Contender system : systems) {
            values.add(value.applyAsDouble(system));
        }
        return values;
    }

    /** Appends {@code panel} with its title at {@code top}; returns the y below its last bar. */
    private static int panel(StringBuilder svg, Panel panel, int top) {
        double max = 0;
        for (double value : panel.values()) {
            if (Double.isFinite(value)) {
                max = Math.max(max, value);
            }
        }
        svg.append("<g class=\"panel\">\n");
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<text class=\"title\" x=\"8\" y=\"%d\" font-weight=\"bold\">%s</text>\n",
                        top + 14,
                        escape(panel.title())));
        int y = top + PANEL_TITLE_HEIGHT;
        for (int i = 0; i < panel.systems().size(); i++) {
            Contender system = panel.systems().get(i);
            double value = panel.values().get(i);
            int textY = y + BAR_HEIGHT - 3;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                            LABEL_RIGHT,
                            textY,
                            escape(system.label())));
            if (Double.isFinite(value) && max > 0) {
                // At least one pixel, so that a measured value never looks like a missing one.
                double width = Math.max(1, BAR_MAX_WIDTH * value / max);
                String text = panel.format().apply(value);
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                                        + " fill=\"%s\"><title>%s: %s</title></rect>\n",
                                BAR_LEFT,
                                y,
                                width,
                                BAR_HEIGHT,
                                colour(system),
                                escape(system.label()),
                                escape(text)));
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
                                BAR_LEFT + width + 6,
                                textY,
                                escape(text)));
            } else {
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%d\" y=\"%d\" fill=\"#888\">not measured</text>\n",
                                BAR_LEFT + 6,
                                textY));
            }
            y += ROW_HEIGHT;
        }
        svg.append("</g>\n");
        return y;
    }

    /** corobridge in blues, the kotlinx baseline in dark grey, the other anchors apart. */
    private static String colour(Contender system) {
        return switch (system) {
            case COROBRIDGE -> "#1f5fa8";
            case COROBRIDGE_FUTURES -> "#6a9fd8";
            case KOTLINX -> "#555555";
            case VIRTUAL_THREADS -> "#3a9a5b";
            case COMPLETABLE_FUTURE -> "#d98c2b";
            case ASYNCIO -> "#9b59b6";
        };
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
