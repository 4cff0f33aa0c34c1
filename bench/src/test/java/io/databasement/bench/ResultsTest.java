package io.databasement.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTest {

    @TempDir
    Path dir;

    private static Results.Backup backup(double baseWall, double dbmWall, long baseSize, long dbmSize) {
        return new Results.Backup("W1", "bench_w1", Stats.of(List.of(baseWall)), Stats.of(List.of(2.0)), Stats.of(List.of(dbmWall)),
                Stats.of(List.of(2.2)), baseSize, dbmSize, 5_000_000, Stats.of(List.of(0.0)), Stats.of(List.of(8192.0)), Stats.of(List.of(dbmWall * 2)),
                Stats.of(List.of(6e6)), 100L << 20, 50L << 20, 300L << 20, 40L << 20, 250L << 20);
    }

    @Test
    void ratiosAreAgainstTheBaselineOfTheSameRunAndJudgedByTheirTargets() {
        Results results = new Results(Options.parse(new String[] {"--quick"}));
        results.backup(backup(10.0, 10.4, 1000, 1005));
        List<Results.Ratio> ratios = results.ratios();
        Results.Ratio wall = ratios.stream().filter(r -> r.what().equals("backup wall")).findFirst().orElseThrow();
        assertThat(wall.value()).isEqualTo(1.04);
        assertThat(wall.passes()).isTrue();
        Results.Ratio cpu = ratios.stream().filter(r -> r.what().equals("backup CPU")).findFirst().orElseThrow();
        assertThat(cpu.value()).isEqualTo(1.1);
        Results.Ratio naive = ratios.stream().filter(r -> r.what().startsWith("temp-file pipeline")).findFirst().orElseThrow();
        assertThat(naive.value()).isEqualTo(2.0);
        assertThat(naive.passes()).isTrue();
    }

    @Test
    void aSlowerSnapshotMissesTheWallTarget() {
        Results results = new Results(Options.parse(new String[] {"--quick"}));
        results.backup(backup(10.0, 10.6, 1000, 1020));
        assertThat(results.ratios()).filteredOn(r -> !r.passes()).extracting(Results.Ratio::what)
                .containsExactlyInAnyOrder("backup wall", "artifact size");
    }

    @Test
    void writesTheMarkdownTheJsonAndAChart() throws Exception {
        Results results = new Results(Options.parse(new String[] {"--quick"}));
        results.backup(backup(10.0, 10.4, 1000, 1005));
        results.dispatch(Stats.of(List.of(5.0, 7.0, 9.0)), Stats.of(List.of(200.0, 210.0, 220.0)));
        results.write(dir, LocalDate.of(2026, 11, 26));
        assertThat(Files.readString(dir.resolve("2026-11-26-quick.md"))).contains("backup wall", "dispatch p50", "pass");
        assertThat(Files.readString(dir.resolve("2026-11-26-quick.json"))).contains("\"ratios\"", "\"zstdCli\"");
        assertThat(ImageIO.read(dir.resolve("2026-11-26-quick.png").toFile()).getWidth()).isGreaterThan(500);
    }

    @Test
    void optionsReadSizesAndRefuseUnknownOnes() {
        assertThat(Options.parse(new String[] {"--size", "200MB"}).sizeBytes()).isEqualTo(200L << 20);
        assertThat(Options.parse(new String[] {"--quick"}).heapBoundMiB()).isEqualTo(128);
        assertThatThrownBy(() -> Options.parse(new String[] {"--fast"})).hasMessageContaining("unknown option --fast");
    }
}
