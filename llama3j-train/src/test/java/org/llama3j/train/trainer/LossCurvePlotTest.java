package org.llama3j.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {

    @TempDir
    Path dir;

    @Test
    void plotsTheWholeLogWithReplayedStepsTakingTheLastValue() throws IOException {
        Path log = dir.resolve("train-log.jsonl");
        Files.writeString(log, """
                {"type":"checkpoint","step":0,"file":"x"}
                {"type":"step","step":1,"loss":5.0,"lr":1e-3}
                {"type":"step","step":2,"loss":4.0,"lr":1e-3}
                {"type":"fault","step":2,"batch":2,"loss":"NaN","reason":"loss is NaN"}
                {"type":"rollback","toStep":1,"skippedBatch":2}
                {"type":"step","step":2,"loss":3.5,"lr":1e-3}
                {"type":"eval","step":2,"valLoss":3.75}
                {"type":"step","step":3,"loss":3.0,"lr":1e-3}
                """);
        List<List<LossCurvePlot.Point>> curves = LossCurvePlot.readLog(log);
        assertEquals(List.of(new LossCurvePlot.Point(1, 5.0), new LossCurvePlot.Point(2, 3.5),
                new LossCurvePlot.Point(3, 3.0)), curves.get(0));
        assertEquals(List.of(new LossCurvePlot.Point(2, 3.75)), curves.get(1));
        Path png = dir.resolve("loss.png");
        LossCurvePlot.writeFromLog(log, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        int blue = 0;
        int orange = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                blue += rgb == 0x1F77B4 ? 1 : 0;
                orange += rgb == 0xFF7F0E ? 1 : 0;
            }
        }
        assertTrue(blue > 100, "train curve pixels: " + blue);
        assertTrue(orange > 10, "val point pixels: " + orange);
    }
}
