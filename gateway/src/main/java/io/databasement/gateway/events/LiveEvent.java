package io.databasement.gateway.events;

import org.springframework.http.codec.ServerSentEvent;

/**
 * One server-sent event, its JSON rendered once for every client.
 *
 * @param name       the SSE event name: {@code snapshot}, {@code restore}, {@code snapshot-progress},
 *                   {@code restore-progress}
 * @param id         the record's {@code ce_id}
 * @param snapshotId the snapshot it is about (snapshot events and their progress), else null
 * @param restoreId  the restore it is about (restore events and their progress; null for a rejected request)
 * @param data       the event's JSON object
 */
record LiveEvent(String name, String id, String snapshotId, String restoreId, String data) {

    ServerSentEvent<String> toSse() {
        return ServerSentEvent.builder(data).id(id).event(name).build();
    }
}
