package io.databasement.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./dbm down + up reuses .dbm/data/kafka: the broker must come back with what it had. */
class KafkaBrokerRestartIT {

    @Test
    void brokerRestartedOnTheSameFolderKeepsItsTopics(@TempDir Path dir) throws Exception {
        int port = Ports.freePort();
        int controllerPort = Ports.freePort(port);
        KafkaBroker.Settings settings = new KafkaBroker.Settings(dir.resolve("kafka"), port, controllerPort, 12);

        try (KafkaBroker broker = KafkaBroker.start(settings); Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("dbm.it.kept", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaBroker broker = KafkaBroker.start(settings); Admin admin = admin(broker)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("dbm.it.kept");
        }
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
