package io.databasement.worker.intake;

import io.databasement.worker.trace.JobTracing;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

/** The intake beans every worker has alike; a worker's own intake configuration imports them. */
@Configuration(proxyBeanMethods = false)
public class IntakeSupport {

    /** A slot that comes free takes the next command at once, not after the paused poll ends (see JobSlots). */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> promptResume() {
        return JobSlots.promptResume();
    }

    @Bean
    JobTracing jobTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return JobTracing.of(tracer, propagator);
    }
}
