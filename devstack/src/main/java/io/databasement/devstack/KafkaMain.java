package io.databasement.devstack;

/**
 * Standalone KRaft broker for ./dbm. Arguments (or environment): {@code --data-dir}
 * ({@code DBM_KAFKA_DATA_DIR}, default {@code .dbm/data/kafka}), {@code --port}
 * ({@code DBM_KAFKA_PORT}, 9092), {@code --controller-port} ({@code DBM_KAFKA_CONTROLLER_PORT}, 9093),
 * {@code --partitions} ({@code DBM_KAFKA_PARTITIONS}, 12).
 * Prints {@code READY kafka bootstrap=127.0.0.1:<port>}.
 */
public final class KafkaMain {

    private KafkaMain() {
    }

    public static void main(String[] argv) throws InterruptedException {
        MainSupport.configureLogging();
        KafkaBroker broker = null;
        try {
            MainSupport args = new MainSupport(argv);
            broker = KafkaBroker.start(new KafkaBroker.Settings(
                    args.getPath("data-dir", "DBM_KAFKA_DATA_DIR", ".dbm/data/kafka"),
                    args.getInt("port", "DBM_KAFKA_PORT", 9092),
                    args.getInt("controller-port", "DBM_KAFKA_CONTROLLER_PORT", 9093),
                    args.getInt("partitions", "DBM_KAFKA_PARTITIONS", 12)));
        } catch (RuntimeException e) {
            MainSupport.fail("Kafka", e);
        }
        MainSupport.readyAndWait("kafka bootstrap=" + broker.bootstrapServers(), broker);
    }
}
