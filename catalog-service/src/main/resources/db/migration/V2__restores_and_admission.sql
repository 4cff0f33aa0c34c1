-- Restores (issue 4) and job admission for backups and restores alike.

create table restores (
    id                 uuid primary key,
    snapshot_id        uuid        not null references snapshots (id),
    -- a deleted server leaves its restores behind: they keep target_server_name
    target_server_id   uuid references servers (id) on delete set null,
    target_server_name text        not null,
    target_database    text        not null,
    mode               text        not null check (mode in ('SAME_DATABASE', 'OTHER_DATABASE', 'CROSS_SERVER')),
    target_exists      boolean     not null,
    status             text        not null check (status in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED')),
    requested_by       text        not null,
    correlation_id     text        not null,
    attempt_id         uuid,
    attempts           integer     not null default 0,
    last_heartbeat_at  timestamptz,
    bytes_so_far       bigint,
    total_bytes        bigint,
    created_at         timestamptz not null,
    started_at         timestamptz,
    completed_at       timestamptz,
    duration_ms        bigint,
    bytes_restored     bigint,
    error              text,
    version            integer     not null
);
create index restores_created_at_idx on restores (created_at desc, id);
create index restores_snapshot_id_idx on restores (snapshot_id);
create index restores_target_idx on restores (target_server_id, target_database);

-- Admission: one row per open job (backup or restore), deleted in the transaction that records the job's end.
-- A job is dispatched (its command written to the outbox) only when its database is free and its server has
-- room; the partial unique index makes "one active job per database" hold even against a bug in the code.
create table job_slots (
    job_id        uuid primary key,
    kind          text        not null check (kind in ('backup', 'restore')),
    server_id     uuid        not null,
    database_name text        not null,
    dispatched    boolean     not null default false,
    created_at    timestamptz not null,
    dispatched_at timestamptz
);
create unique index job_slots_one_active_per_database on job_slots (server_id, database_name) where dispatched;
create index job_slots_server_idx on job_slots (server_id, dispatched, created_at);

-- Snapshots already open when this migration runs were dispatched by the code before admission existed.
insert into job_slots (job_id, kind, server_id, database_name, dispatched, created_at, dispatched_at)
select distinct on (server_id, database_name) id, 'backup', server_id, database_name, true, created_at, created_at
from snapshots
where status in ('PENDING', 'RUNNING') and server_id is not null
order by server_id, database_name, created_at;
