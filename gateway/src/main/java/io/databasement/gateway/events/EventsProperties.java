package io.databasement.gateway.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live status ({@code GET /api/v1/events}) and the audit of Kafka restore requests.
 *
 * @param enabled   false: no Kafka consumers at all (the stream then carries only keep-alives); for tests and
 *                  setups without a broker
 * @param keepAlive how often an idle stream gets a {@code :keepalive} comment, so proxies and clients keep it open
 */
@ConfigurationProperties("dbm.gateway.events")
public record EventsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("15s") Duration keepAlive) {
}
