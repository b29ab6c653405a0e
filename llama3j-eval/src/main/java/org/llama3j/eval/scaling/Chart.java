package org.llama3j.eval.scaling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small headless Java2D chart (after llama3j-train's {@code LossCurvePlot}): series of markers
 * and/or lines on linear or log axes, a title, axis labels and a legend; written as PNG atomically.
 */
final class Chart {
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    /** One series: points, drawn as markers, as a line, or both; {@code star} marks a highlighted point. */
    record Series(String label, Color color, double[] x, double[] y, boolean markers, boolean line, boolean star) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    Chart add(Series s) {
        series.add(s);
        return this;
    }

    void write(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] xr = range(true);
        double[] yr = range(false);
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double fx = xr[0] + (xr[1] - xr[0]) * i / 5;
            double fy = yr[0] + (yr[1] - yr[0]) * i / 5;
            int px = px(fx, xr);
            int py = py(fy, yr);
            g.drawString(tick(fx, logX), px - 20, HEIGHT - BOTTOM + 16);
            g.drawString(tick(fy, logY), 6, py + 4);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, TOP + 1, px, HEIGHT - BOTTOM - 1);
            g.drawLine(LEFT + 1, py, WIDTH - RIGHT - 1, py);
            g.setColor(Color.BLACK);
        }
        g.drawString(xLabel, LEFT + (WIDTH - LEFT - RIGHT) / 2 - 60, HEIGHT - 18);
        g.drawString(yLabel, 6, TOP - 6);
        int legendY = TOP + 18;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(s.star() ? 2.5f : 1.8f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.x().length; i++) {
                if (!usable(s.x()[i], logX) || !usable(s.y()[i], logY)) {
                    continue;
                }
                int px = px(t(s.x()[i], logX), xr);
                int py = py(t(s.y()[i], logY), yr);
                if (s.line()) {
                    if (started) {
                        path.lineTo(px, py);
                    } else {
                        path.moveTo(px, py);
                        started = true;
                    }
                }
                if (s.markers()) {
                    int r = s.star() ? 7 : 4;
                    if (s.star()) {
                        g.drawLine(px - r, py - r, px + r, py + r);
                        g.drawLine(px - r, py + r, px + r, py - r);
                        g.drawOval(px - r, py - r, 2 * r, 2 * r);
                    } else {
                        g.fillOval(px - r, py - r, 2 * r, 2 * r);
                    }
                }
            }
            if (s.line()) {
                g.draw(path);
            }
            if (!s.label().isEmpty()) {
                g.fillRect(WIDTH - RIGHT - 230, legendY - 9, 12, 10);
                g.setColor(Color.BLACK);
                g.drawString(s.label(), WIDTH - RIGHT - 212, legendY);
                legendY += 16;
            }
        }
        g.dispose();
        Path abs = png.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private double[] range(boolean xAxis) {
        boolean log = xAxis ? logX : logY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            double[] v = xAxis ? s.x() : s.y();
            for (double d : v) {
                if (usable(d, log)) {
                    lo = Math.min(lo, t(d, log));
                    hi = Math.max(hi, t(d, log));
                }
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        double pad = (hi - lo) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    private static boolean usable(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    private static double t(double v, boolean log) {
        return log ? Math.log10(v) : v;
    }

    private static String tick(double v, boolean log) {
        return log ? String.format("%.2e", Math.pow(10, v)) : String.format("%.3f", v);
    }

    private static int px(double v, double[] r) {
        return (int) Math.round(LEFT + (WIDTH - LEFT - RIGHT) * (v - r[0]) / (r[1] - r[0]));
    }

    private static int py(double v, double[] r) {
        return (int) Math.round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (v - r[0]) / (r[1] - r[0]));
    }
}
