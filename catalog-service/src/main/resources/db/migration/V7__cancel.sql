-- Cancel (issue 7): a job can end CANCELLED. A queued job is cancelled at once; a running one keeps its status
-- (RUNNING / IN_PROGRESS) with cancel_requested_at set until its worker reports the attempt cancelled (or its
-- lease runs out: then it is CANCELLED, never retried). A restore whose worker claimed its swap
-- (swap_claimed_at) is no longer cancellable: the swap runs to its end.
alter table snapshots drop constraint if exists snapshots_status_check;
alter table snapshots add constraint snapshots_status_check
    check (status in ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'DELETING'));
alter table snapshots add column cancel_requested_at timestamptz;
alter table snapshots add column cancel_requested_by text;

alter table restores drop constraint if exists restores_status_check;
alter table restores add constraint restores_status_check
    check (status in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'));
alter table restores add column cancel_requested_at timestamptz;
alter table restores add column cancel_requested_by text;
alter table restores add column swap_claimed_at timestamptz;
