package dev.palaver.bench.calls;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * A PNG of the ramp, drawn with Java2D (headless): turn overhead p50 and p99 and barge-in → clear p99 (ms,
 * left axis) and the server's CPU (%, right axis) against concurrent calls. Each level's second window is
 * plotted, the first being its twin.
 */
final class CallsChart {

    private static final int W = 900;
    private static final int H = 500;
    private static final int LEFT = 70;
    private static final int RIGHT = 70;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private CallsChart() {
    }

    static void draw(List<WindowResult> windows, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<WindowResult> points = windows.stream().filter(w -> w.window() == 2).toList();
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double maxCalls = points.stream().mapToInt(WindowResult::level).max().orElse(1);
        double maxMs = Math.max(10, points.stream().mapToDouble(w -> Math.max(w.overhead().percentile(99),
                nanToZero(w.bargeIn().percentile(99)))).max().orElse(10) * 1.1);
        double maxCpu = 100 * Math.max(1, Math.ceil(points.stream().mapToDouble(WindowResult::serverCpuPercent)
                .max().orElse(100) / 100));
        axes(g, maxCalls, maxMs, maxCpu);
        series(g, points, w -> w.overhead().percentile(50), maxCalls, maxMs, new Color(0x1f77b4), "overhead p50 (ms)", 0);
        series(g, points, w -> w.overhead().percentile(99), maxCalls, maxMs, new Color(0xd62728), "overhead p99 (ms)", 1);
        series(g, points, w -> w.bargeIn().percentile(99), maxCalls, maxMs, new Color(0x9467bd), "barge-in → clear p99 (ms)", 2);
        series(g, points, WindowResult::serverCpuPercent, maxCalls, maxCpu, new Color(0x2ca02c), "server CPU (%, right axis)", 3);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Palaver: platform latency and CPU against concurrent Twilio calls", LEFT, 25);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void axes(Graphics2D g, double maxCalls, double maxMs, double maxCpu) {
        int x0 = LEFT;
        int y0 = H - BOTTOM;
        g.setColor(Color.BLACK);
        g.drawLine(x0, y0, W - RIGHT, y0);
        g.drawLine(x0, TOP, x0, y0);
        g.drawLine(W - RIGHT, TOP, W - RIGHT, y0);
        for (int i = 0; i <= 5; i++) {
            int y = y0 - i * (y0 - TOP) / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, W - RIGHT - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", maxMs * i / 5), 10, y + 4);
            g.drawString(String.format("%.0f%%", maxCpu * i / 5), W - RIGHT + 8, y + 4);
            int x = x0 + i * (W - RIGHT - x0) / 5;
            g.drawString(String.format("%.0f", maxCalls * i / 5), x - 8, y0 + 18);
        }
        g.drawString("concurrent calls", (W - 100) / 2, H - 20);
        g.drawString("ms", 10, TOP - 10);
        g.drawString("CPU", W - RIGHT + 8, TOP - 10);
    }

    private static void series(Graphics2D g, List<WindowResult> points, ToDoubleFunction<WindowResult> value,
            double maxX, double maxY, Color color, String label, int legendRow) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int px = -1;
        int py = -1;
        for (WindowResult w : points) {
            double v = value.applyAsDouble(w);
            if (Double.isNaN(v)) {
                continue;
            }
            int x = LEFT + (int) Math.round(w.level() / maxX * (W - RIGHT - LEFT));
            int y = H - BOTTOM - (int) Math.round(Math.min(v, maxY) / maxY * (H - BOTTOM - TOP));
            g.fillOval(x - 3, y - 3, 7, 7);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        int ly = TOP + 10 + legendRow * 16;
        g.drawLine(LEFT + 15, ly - 4, LEFT + 35, ly - 4);
        g.drawString(label, LEFT + 40, ly);
        g.setStroke(new BasicStroke(1f));
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
