package io.databasement.catalog;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Features (server, snapshot, volume) and infrastructure (messaging, web) depend on each other without cycles. */
class ModularityTests {

    @Test
    void featurePackagesHaveNoCyclesAndUseOnlyEachOthersTopLevelTypes() {
        ApplicationModules.of(CatalogApplication.class).verify();
    }
}
