-- volumes: soft-deleted so their tombstones can be re-sent until the compacted topic has them for sure
create table volume (
    id                uuid primary key,
    name              varchar(100) not null,
    type              varchar(10)  not null check (type in ('LOCAL', 'S3')),
    path              text,
    endpoint          text,
    bucket            varchar(63),
    region            varchar(64),
    access_key        text,
    secret_key_sealed text,
    prefix            text,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    deleted_at        timestamptz,
    version           integer      not null
);
create unique index volume_live_name on volume (lower(name)) where deleted_at is null;

-- upload sessions outlive a restart: the store's own upload id is all a worker's retry needs
create table upload (
    id              uuid primary key,
    volume_id       uuid        not null references volume (id),
    object_key      text        not null,
    store_upload_id text        not null,
    state           varchar(16) not null check (state in ('OPEN', 'COMPLETED', 'ABORTED')),
    size_bytes      bigint,
    sha256          varchar(64),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    version         integer     not null
);
create index upload_open_by_age on upload (created_at) where state = 'OPEN';

create table upload_part (
    upload_id   uuid        not null references upload (id) on delete cascade,
    part_number integer     not null check (part_number between 1 and 10000),
    etag        text        not null,
    size_bytes  bigint      not null,
    sha256      varchar(64) not null,
    uploaded_at timestamptz not null,
    primary key (upload_id, part_number)
);
