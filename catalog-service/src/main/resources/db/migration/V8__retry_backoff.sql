-- Retry backoff (issue 7): a job whose attempt was lost waits before its command is sent again, doubling with
-- each lost attempt. While retry_at is in the future no attempt may claim the job; the lease watch sends the
-- command once it has passed (and clears it).
alter table snapshots add column retry_at timestamptz;
alter table restores add column retry_at timestamptz;
