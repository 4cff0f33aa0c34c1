-- Snapshot lifecycle (issue 5): deletion through storage-service, locks, schedules, verification.
-- Later migrations of issue 5 (V4 schedules, V5 ...) build on these columns.

alter table snapshots drop constraint if exists snapshots_status_check;
alter table snapshots add constraint snapshots_status_check
    check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'DELETING'));

-- a locked snapshot is never deleted, by hand or by retention
alter table snapshots add column locked boolean not null default false;
-- the schedule that made it (null: asked for by hand); no foreign key: a deleted schedule leaves its snapshots
alter table snapshots add column schedule_id uuid;
create index snapshots_schedule_idx on snapshots (schedule_id, database_name, created_at desc) where schedule_id is not null;

-- deletion: asked for at, why (by hand, retention rule), how many times the storage command was sent, and when next
alter table snapshots add column deletion_requested_at timestamptz;
alter table snapshots add column deletion_reason text;
alter table snapshots add column deletion_attempts integer not null default 0;
alter table snapshots add column deletion_next_attempt_at timestamptz;
create index snapshots_deleting_idx on snapshots (deletion_next_attempt_at) where status = 'DELETING';

-- rows and checksum per table, counted from the dump stream by the backup worker (JSON array of TableStats)
alter table snapshots add column table_stats text;

-- verification: restore into a scratch database, compare with table_stats, drop the scratch database
alter table snapshots add column verification_status text
    check (verification_status in ('PENDING', 'RUNNING', 'PASSED', 'FAILED'));
alter table snapshots add column verification_restore_id uuid;
alter table snapshots add column verified_at timestamptz;
alter table snapshots add column verification_duration_ms bigint;
-- JSON: the worker's Verification result, or {"error": "..."} when the scratch restore failed
alter table snapshots add column verification_detail text;

-- a verification is a restore of mode VERIFY into a scratch database
alter table restores drop constraint if exists restores_mode_check;
alter table restores add constraint restores_mode_check
    check (mode in ('SAME_DATABASE', 'OTHER_DATABASE', 'CROSS_SERVER', 'VERIFY'));
