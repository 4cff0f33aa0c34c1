package io.databasement.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

class EventHubTests {

    private final EventHub hub = new EventHub();

    @Test
    void aClientThatCannotKeepUpMissesEventsWhileTheOthersGetThemAllAndPublishingNeverWaits() {
        Collecting fast = new Collecting(Long.MAX_VALUE);
        Collecting slow = new Collecting(2);
        hub.events().subscribe(fast);
        hub.events().subscribe(slow);

        for (int i = 0; i < 100; i++) {
            hub.publish(event(i));
        }

        assertThat(fast.ids).hasSize(100).startsWith("e-0", "e-1").endsWith("e-99");
        assertThat(slow.ids).containsExactly("e-0", "e-1");
        // and once it asks again it goes on from the present, not from a backlog
        slow.request(1);
        hub.publish(event(100));
        assertThat(slow.ids).containsExactly("e-0", "e-1", "e-100");
    }

    @Test
    void publishingWithoutClientsDropsTheEvent() {
        hub.publish(event(1));
        Collecting late = new Collecting(Long.MAX_VALUE);
        hub.events().subscribe(late);
        hub.publish(event(2));

        assertThat(late.ids).containsExactly("e-2");
    }

    @Test
    void stoppingTheHubEndsTheStreams() {
        AtomicBoolean closed = new AtomicBoolean();
        hub.start();
        hub.closed().subscribe(null, null, () -> closed.set(true));
        assertThat(closed).isFalse();

        hub.stop();

        assertThat(closed).isTrue();
        assertThat(hub.isRunning()).isFalse();
    }

    private static LiveEvent event(int i) {
        return new LiveEvent("snapshot", "e-" + i, "s", null, "{}");
    }

    private static final class Collecting extends BaseSubscriber<LiveEvent> {

        final List<String> ids = new ArrayList<>();
        private final long initialDemand;

        Collecting(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            request(initialDemand);
        }

        @Override
        protected void hookOnNext(LiveEvent value) {
            ids.add(value.id());
        }
    }
}
