package org.llama3j.train.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws training (blue) and validation (orange) loss against step into a PNG, headless. */
public final class LossCurvePlot {

    /** One point of a curve. */
    public record Point(double step, double loss) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;
    private static final int MARGIN = 60;

    private LossCurvePlot() {
    }

    /**
     * Plots the whole run from its {@code train-log.jsonl} (all sessions, so a resumed run's curve
     * starts at step 1); when a step appears more than once (replayed after a rollback) the last wins.
     */
    public static void writeFromLog(Path log, Path png) throws IOException {
        List<List<Point>> curves = readLog(log);
        write(png, curves.get(0), curves.get(1));
    }

    /** The train and validation curves of a {@code train-log.jsonl}, by step, last entry per step. */
    static List<List<Point>> readLog(Path log) throws IOException {
        java.util.TreeMap<Long, Double> train = new java.util.TreeMap<>();
        java.util.TreeMap<Long, Double> val = new java.util.TreeMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : java.nio.file.Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            var node = json.readTree(line);
            String type = node.path("type").asText();
            if (type.equals("step") && node.path("loss").isNumber()) {
                train.put(node.get("step").asLong(), node.get("loss").asDouble());
            } else if (type.equals("eval") && node.path("valLoss").isNumber()) {
                val.put(node.get("step").asLong(), node.get("valLoss").asDouble());
            }
        }
        return List.of(points(train), points(val));
    }

    private static List<Point> points(java.util.Map<Long, Double> m) {
        return m.entrySet().stream().map(e -> new Point(e.getKey(), e.getValue())).toList();
    }

    public static void write(Path png, List<Point> train, List<Point> val) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double maxStep = 1;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Point> curve : List.of(train, val)) {
            for (Point p : curve) {
                if (Double.isFinite(p.loss())) {
                    maxStep = Math.max(maxStep, p.step());
                    lo = Math.min(lo, p.loss());
                    hi = Math.max(hi, p.loss());
                }
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 1 : 0;
            hi = lo + 2;
        }
        g.setColor(Color.BLACK);
        g.drawRect(MARGIN, MARGIN / 2, WIDTH - MARGIN - MARGIN / 2, HEIGHT - MARGIN - MARGIN / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            int y = y(v, lo, hi);
            g.drawString(String.format("%.3f", v), 5, y + 4);
            g.drawString(String.format("%.0f", maxStep * i / 4), x(maxStep * i / 4, maxStep) - 10, HEIGHT - MARGIN / 2 + 15);
        }
        g.drawString("step", WIDTH / 2, HEIGHT - 8);
        g.drawString("loss (blue: train, orange: val)", MARGIN, MARGIN / 2 - 8);
        drawCurve(g, train, new Color(31, 119, 180), maxStep, lo, hi);
        drawCurve(g, val, new Color(255, 127, 14), maxStep, lo, hi);
        g.dispose();
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    private static void drawCurve(Graphics2D g, List<Point> curve, Color color, double maxStep, double lo, double hi) {
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (Point p : curve) {
            if (!Double.isFinite(p.loss())) {
                continue;
            }
            double px = x(p.step(), maxStep);
            double py = y(p.loss(), lo, hi);
            if (started) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                started = true;
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(path);
        for (Point p : curve.size() <= 40 ? curve : List.<Point>of()) {
            if (Double.isFinite(p.loss())) {
                g.fillOval(x(p.step(), maxStep) - 3, y(p.loss(), lo, hi) - 3, 6, 6);
            }
        }
    }

    private static int x(double step, double maxStep) {
        return (int) Math.round(MARGIN + (WIDTH - 1.5 * MARGIN) * step / maxStep);
    }

    private static int y(double loss, double lo, double hi) {
        return (int) Math.round(MARGIN / 2.0 + (HEIGHT - 1.5 * MARGIN) * (hi - loss) / (hi - lo));
    }
}
