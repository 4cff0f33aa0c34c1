-- Flyway runs with default schema "catalog" (spring.flyway.schemas), so unqualified names land there.

create table servers (
    id              uuid primary key,
    name            text        not null,
    type            text        not null check (type in ('postgresql', 'mariadb', 'mysql')),
    host            text        not null,
    port            integer     not null check (port between 1 and 65535),
    username        text        not null,
    sealed_password text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    version         integer     not null
);
create unique index servers_name_key on servers (name);

-- Local projection of the compacted dbm.volumes topic (plus read-through from storage-service).
create table volumes (
    id         uuid primary key,
    name       text        not null,
    type       text        not null,
    location   text        not null,
    updated_at timestamptz not null
);

create table snapshots (
    id                uuid primary key,
    -- a deleted server leaves its snapshots behind: they keep server_name
    server_id         uuid references servers (id) on delete set null,
    server_name       text        not null,
    database_name     text        not null,
    volume_id         uuid        not null,
    -- copied at request time so a snapshot stays readable after its volume is gone
    volume_name       text        not null,
    volume_location   text        not null,
    compression       text        not null,
    compression_level integer     not null,
    status            text        not null check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    attempt_id        uuid,
    attempts          integer     not null default 0,
    last_heartbeat_at timestamptz,
    bytes_so_far      bigint,
    created_at        timestamptz not null,
    started_at        timestamptz,
    completed_at      timestamptz,
    duration_ms       bigint,
    size_bytes        bigint,
    raw_size_bytes    bigint,
    sha256            text,
    object_key        text,
    database_type     text,
    database_version  text,
    error             text,
    version           integer     not null
);
create index snapshots_created_at_idx on snapshots (created_at desc, id);
create index snapshots_server_id_idx on snapshots (server_id);
create index snapshots_open_idx on snapshots (status) where status in ('PENDING', 'RUNNING');

-- Consumer-side idempotency: one row per applied message (ce_id), written with the projection.
create table processed_messages (
    message_id   text primary key,
    message_type text        not null,
    processed_at timestamptz not null
);

-- Spring Modulith's event publication registry (v2 layout of spring-modulith-events-jdbc 2.0.3): the outbox.
create table event_publication (
    id                     uuid                     not null primary key,
    listener_id            text                     not null,
    event_type             text                     not null,
    serialized_event       text                     not null,
    publication_date       timestamp with time zone not null,
    completion_date        timestamp with time zone,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamp with time zone
);
create index event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);
