-- API tokens: only a SHA-256 of the secret is kept; the secret is shown once, at creation.
create table api_tokens (
    id           uuid primary key,
    name         text        not null,
    role         text        not null check (role in ('viewer', 'operator', 'admin')),
    token_hash   bytea       not null unique,
    prefix       text        not null,
    created_at   timestamptz not null,
    created_by   text        not null,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   text,
    last_used_at timestamptz
);
create unique index api_tokens_active_name on api_tokens (name) where revoked_at is null;

-- The audit trail: append-only (the gateway's role may insert and select, never update or delete).
create table audit_entries (
    seq            bigserial   primary key,
    id             uuid        not null unique,
    at             timestamptz not null,
    actor          text        not null,
    actor_role     text,
    channel        text        not null check (channel in ('rest', 'kafka')),
    action         text        not null,
    target         text        not null,
    outcome        text        not null,
    status         int,
    detail         text,
    correlation_id text,
    source_id      text unique
);
create index audit_entries_at on audit_entries (at desc);

create function audit_entries_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entries is append-only';
end $$;
create trigger audit_entries_no_update before update or delete on audit_entries
    for each statement execute function audit_entries_append_only();
