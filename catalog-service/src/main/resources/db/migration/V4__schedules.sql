-- Schedules (issue 5): cron-fired snapshots, retention, missed-backup alerts, webhooks.

create table schedules (
    id                uuid primary key,
    name              text        not null,
    -- deleting a server deletes its schedules (they could never fire again); their snapshots stay
    server_id         uuid        not null references servers (id) on delete cascade,
    -- JSON array of database names, 1..n
    databases         text        not null,
    volume_id         uuid        not null,
    compression       text        not null,
    compression_level integer     not null,
    -- Spring's 6-field form, as normalized from what the client sent (5-field Unix cron, macros)
    cron              text        not null,
    time_zone         text        not null,
    -- JSON: {"type":"KEEP_LAST","count":7} | {"type":"KEEP_DAYS","days":30} | {"type":"GFS",...}; null keeps everything
    retention         text,
    verify            boolean     not null default false,
    grace_minutes     integer     not null check (grace_minutes > 0),
    webhook_url       text,
    enabled           boolean     not null,
    -- firing: the replica whose "update ... where next_fire_at = <what it read>" counts fires the tick
    next_fire_at      timestamptz,
    last_fired_at     timestamptz,
    -- when the schedule was created or last enabled: its first tick is the first one after this
    armed_at          timestamptz not null,
    last_completed_at timestamptz,
    last_failed_at    timestamptz,
    health            text        not null check (health in ('NEW', 'OK', 'MISSED', 'FAILING')),
    missed_since      timestamptz,
    -- the deadline of the current missed episode (the conditional update on it decides who alerts)
    missed_deadline   timestamptz,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    version           integer     not null
);
create unique index schedules_name_key on schedules (name);
create index schedules_due_idx on schedules (next_fire_at) where enabled;

-- Webhook deliveries: written in the transaction of the state change, sent by a poller (several replicas
-- share the work with "for update skip locked"), retried with exponential backoff.
create table webhook_deliveries (
    id              uuid primary key,
    schedule_id     uuid,
    url             text        not null,
    event_type      text        not null,
    -- the CloudEvents-structured JSON body, exactly as sent
    body            text        not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'PENDING';
create index webhook_deliveries_schedule_idx on webhook_deliveries (schedule_id, created_at desc);
