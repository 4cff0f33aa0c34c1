package io.databasement.catalog.schedule;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * Body of POST and PUT {@code /api/v1/schedules} (PUT replaces the whole schedule).
 *
 * @param databases        1..50 names, each checked by the server's engine
 * @param compression      / compressionLevel: as for a snapshot request (zstd level 3 by default)
 * @param cron             6-field Spring cron (seconds first), 5-field Unix cron, or a macro such as {@code @daily}
 * @param timeZone         IANA id; UTC when absent
 * @param retention        null keeps everything
 * @param verify           verify each completed snapshot (scratch restore and comparison); false by default
 * @param graceMinutes     dead-man's switch slack; {@code dbm.schedules.default-grace-minutes} (30) when absent
 * @param webhookUrl       http(s) URL told about missed backups and failed snapshots; none when absent
 * @param enabled          true when absent
 */
@Schema(example = """
        {"name": "shop nightly", "serverId": "7d1c9f4e-2b8a-4e31-9c55-0f2a6b1d8e73", "databases": ["shop", "billing"],
         "volumeId": "c0a8f3b2-5e6d-4f71-8a9b-1d2e3f4a5b6c", "cron": "0 30 2 * * *", "timeZone": "Europe/Berlin",
         "retention": {"type": "GFS", "daily": 7, "weekly": 4, "monthly": 12}, "verify": true, "graceMinutes": 60,
         "webhookUrl": "https://alerts.example.com/hooks/databasement", "enabled": true}""")
public record ScheduleRequest(@NotBlank @Size(max = 100)
                              @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String name,
                              @NotNull UUID serverId,
                              @NotEmpty @Size(max = 50) List<@NotNull String> databases,
                              @NotNull UUID volumeId,
                              String compression,
                              Integer compressionLevel,
                              @NotBlank @Size(max = 200) String cron,
                              @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String timeZone,
                              RetentionBody retention,
                              Boolean verify,
                              @Min(1) @Max(10080) Integer graceMinutes,
                              @Size(max = 2000) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters") String webhookUrl,
                              Boolean enabled) {
}
