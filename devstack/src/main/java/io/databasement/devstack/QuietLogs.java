package io.databasement.devstack;

import java.util.List;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Lowers the infrastructure's own loggers to WARN when Logback is the SLF4J backend (the services'
 * tests): an unconfigured Logback logs at DEBUG, and the broker alone prints thousands of lines.
 * With any other backend (slf4j-simple in the mains) the backend's own configuration decides.
 */
final class QuietLogs {

    private static final List<String> NOISY = List.of("org.apache.kafka", "kafka", "state.change.logger",
            "org.gaul.s3proxy", "org.eclipse.jetty", "io.zonky", "software.amazon");

    private QuietLogs() {
    }

    static void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return;
        }
        ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) factory;
        for (String name : NOISY) {
            context.getLogger(name).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
