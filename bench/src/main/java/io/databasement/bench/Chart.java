package io.databasement.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The ratio table as a PNG (plain Java 2D, headless): one bar per measure, scaled so that the target sits at the
 * same line for all of them; green meets it, red misses it; the measured value is written beside each bar.
 */
final class Chart {

    private static final int ROW = 26;
    private static final int LABEL_WIDTH = 430;
    private static final int PLOT_WIDTH = 520;
    /** The scale ends at twice the target. */
    private static final double SCALE_END = 2.0;

    private Chart() {
    }

    static void write(List<Results.Ratio> ratios, Path file) throws IOException {
        int height = 70 + ROW * ratios.size() + 40;
        int width = LABEL_WIDTH + PLOT_WIDTH + 280;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Databasement vs the baseline in the same run: measured / target (left of the line meets it)", 12, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int top = 50;
        int targetX = LABEL_WIDTH + (int) (PLOT_WIDTH / SCALE_END);
        for (int i = 0; i < ratios.size(); i++) {
            Results.Ratio r = ratios.get(i);
            int y = top + i * ROW;
            g.setColor(Color.DARK_GRAY);
            g.drawString(r.what() + " · " + r.workload(), 12, y + 16);
            double share = share(r);
            if (!Double.isNaN(share)) {
                int w = (int) (Math.min(share, SCALE_END) / SCALE_END * PLOT_WIDTH);
                g.setColor(r.passes() ? new Color(0x4caf50) : new Color(0xe53935));
                g.fillRect(LABEL_WIDTH, y + 4, Math.max(w, 2), ROW - 8);
            }
            g.setColor(Color.BLACK);
            g.drawString(r.shown() + "  (target " + r.target() + ")", LABEL_WIDTH + PLOT_WIDTH + 8 - 0, y + 16);
        }
        g.setColor(new Color(0x1e88e5));
        g.setStroke(new BasicStroke(2));
        g.drawLine(targetX, top - 6, targetX, top + ROW * ratios.size() + 4);
        g.drawString("target", targetX - 16, top + ROW * ratios.size() + 20);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** How far along the way to the target a value is (1 = on it), for "at most" and "at least" targets alike. */
    static double share(Results.Ratio r) {
        if (Double.isNaN(r.value())) {
            return Double.NaN;
        }
        return switch (r.kind()) {
            case AT_MOST -> r.limit() == 0 ? (r.value() == 0 ? 0 : SCALE_END) : r.value() / r.limit();
            case AT_LEAST -> r.limit() / Math.max(r.value(), 1e-9);
            case WITHIN -> Math.abs(r.value() - 1) / r.limit();
        };
    }
}
