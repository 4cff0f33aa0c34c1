package io.databasement.catalog.schedule;

import com.zaxxer.hikari.HikariDataSource;
import io.databasement.catalog.TestDatabase;
import io.databasement.catalog.server.ServerRequest;
import io.databasement.catalog.server.ServerService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Schedules written straight to the store, with their times in 2036: the application context's own timers run on
 * the real clock, so they never find these due or missed, and only the components a test builds by hand (on a
 * {@link MutableClock}) act on them.
 */
final class ScheduleFixtures {

    static UUID server(ServerService servers) {
        return servers.create(new ServerRequest("srv-" + UUID.randomUUID().toString().substring(0, 8), "postgresql",
                "127.0.0.1", 5432, "postgres", "pw")).id();
    }

    static Schedule schedule(UUID serverId, UUID volumeId, List<String> databases, String cron, Instant armedAt,
                             Instant nextFireAt, Retention retention, boolean verify, String webhookUrl) {
        return new Schedule(UUID.randomUUID(), "sched-" + UUID.randomUUID().toString().substring(0, 8), serverId,
                databases, volumeId, "zstd", 3, cron, "UTC", retention, verify, 30, webhookUrl, true, nextFireAt, null,
                armedAt, null, null, ScheduleHealth.NEW, null, null, armedAt, armedAt, 0);
    }

    /** A connection pool of its own, as another catalog replica would have. */
    static HikariDataSource replicaDataSource() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabase.url());
        ds.setUsername(TestDatabase.user());
        ds.setPassword(TestDatabase.password());
        ds.setSchema("catalog");
        ds.setMaximumPoolSize(3);
        return ds;
    }

    static <T> ObjectProvider<T> provider(Class<T> type, T bean) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (bean != null) {
            beans.addBean(type.getSimpleName(), bean);
        }
        return beans.getBeanProvider(type);
    }

    private ScheduleFixtures() {
    }
}
