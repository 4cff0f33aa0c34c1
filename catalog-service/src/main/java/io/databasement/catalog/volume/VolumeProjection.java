package io.databasement.catalog.volume;

import io.databasement.catalog.messaging.InboundMessage;
import io.databasement.catalog.messaging.PoisonMessageException;
import io.databasement.contracts.MessageTypes;
import io.databasement.contracts.VolumeState;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keeps the local copy of the compacted {@code dbm.volumes} topic. Applying a state twice is harmless
 * (an upsert that never lets an older state win), so no processed-message bookkeeping is needed here.
 */
@Component
public class VolumeProjection {

    private static final Logger log = LoggerFactory.getLogger(VolumeProjection.class);

    private final VolumeRepository volumes;
    private final JsonMapper json;

    VolumeProjection(VolumeRepository volumes, JsonMapper json) {
        this.volumes = volumes;
        this.json = json;
    }

    public void apply(InboundMessage message) {
        UUID key = parseKey(message.keyString());
        if (message.isTombstone()) {
            if (key == null) {
                throw new PoisonMessageException("a tombstone without a volume id key");
            }
            volumes.delete(key);
            log.info("volume {} deleted", key);
            return;
        }
        if (message.ceType() != null && !MessageTypes.VOLUME_STATE.ceType().equals(message.ceType())) {
            throw new PoisonMessageException("unknown ce_type '" + message.ceType() + "' on " + message.topic());
        }
        VolumeState state = message.read(json, MessageTypes.VOLUME_STATE);
        if (state.volumeId() == null || state.name() == null || state.location() == null || state.updatedAt() == null) {
            throw new PoisonMessageException("a volume state needs volumeId, name, location and updatedAt");
        }
        volumes.upsert(Volume.of(state));
    }

    private static UUID parseKey(String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
