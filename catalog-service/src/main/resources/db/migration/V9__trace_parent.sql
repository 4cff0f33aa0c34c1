-- Tracing (issue 9): the W3C traceparent of what asked for the job (a REST request, a restore request record, a
-- schedule's tick). Its command carries it, whenever it is sent: at once, after waiting in the queue, or again
-- after a lost attempt, so one trace shows the whole job. Null for jobs from before, or asked outside a trace.
alter table snapshots add column trace_parent text;
alter table restores add column trace_parent text;
