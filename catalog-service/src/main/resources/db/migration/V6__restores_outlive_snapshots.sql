-- A deleted snapshot (issue 5) must not take the history of its finished restores with it: the restore keeps
-- its row, its snapshot id becomes null, and the snapshot's server and database names are copied onto it just
-- before the snapshot row goes (SnapshotDeletions.remove). Restores still reading a snapshot block its deletion.
alter table restores alter column snapshot_id drop not null;
alter table restores drop constraint if exists restores_snapshot_id_fkey;
alter table restores add constraint restores_snapshot_id_fkey
    foreign key (snapshot_id) references snapshots (id) on delete set null;
alter table restores add column snapshot_server_name text;
alter table restores add column snapshot_database text;
