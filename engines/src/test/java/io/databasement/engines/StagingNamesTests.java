package io.databasement.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class StagingNamesTests {

    private static final UUID ATTEMPT = UUID.fromString("8ee6de5e-0000-4000-8000-000000000000");

    @Test
    void anEarlierAttemptsStagingOfTheSameTargetIsALeftover() {
        String own = StagingNames.staging("shop", ATTEMPT, 63, 64);

        assertThat(own).isEqualTo("dbm_rst_8ee6de5e_shop");
        assertThat(StagingNames.isLeftoverStaging("dbm_rst_0123abcd_shop", "shop", own)).isTrue();
    }

    @Test
    void ourOwnStagingOtherTargetsAndOldCopiesAreNot() {
        String own = StagingNames.staging("shop", ATTEMPT, 63, 64);

        assertThat(StagingNames.isLeftoverStaging(own, "shop", own)).isFalse();
        assertThat(StagingNames.isLeftoverStaging("dbm_rst_0123abcd_shop2", "shop", own)).isFalse();
        assertThat(StagingNames.isLeftoverStaging("dbm_rst_0123abcd_x_shop", "shop", own)).isFalse();
        assertThat(StagingNames.isLeftoverStaging("dbm_old_0123abcd_shop", "shop", own)).as("an old copy may be the only one").isFalse();
        assertThat(StagingNames.isLeftoverStaging("dbm_rst_NOTHEX00_shop", "shop", own)).isFalse();
    }

    @Test
    void aTargetWhoseNameWasShortenedNeverMatches() {
        String longName = "t".repeat(60);
        String own = StagingNames.staging(longName, ATTEMPT, 63, 64);

        assertThat(own).hasSizeLessThan(("dbm_rst_8ee6de5e_" + longName).length());
        assertThat(StagingNames.isLeftoverStaging("dbm_rst_0123abcd_" + own.substring(17), longName, own)).isFalse();
    }
}
