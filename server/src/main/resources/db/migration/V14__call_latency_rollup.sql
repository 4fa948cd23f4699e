-- Turn latency per closed hour and day (CallStatistics.latency): the p50/p90 of the turns' firstAudioOutMs in a
-- UTC bucket, computed once from the turn events when a series first needs the bucket after it closed, then read
-- as one row. A row with turns = 0 records a bucket without turns. Percentiles do not add up, so each unit keeps
-- its own rows. The rows are a cache of call_events: any change to a rolled-up bucket's turns deletes its rows,
-- and the next series computes them again.
create table call_latency_rollup (
    org_id  uuid             not null references organizations (id) on delete cascade,
    unit    text             not null check (unit in ('hour', 'day')),
    bucket  timestamptz      not null,
    turns   bigint           not null check (turns >= 0),
    p50_ms  double precision,
    p90_ms  double precision,
    primary key (org_id, unit, bucket)
);

create function call_latency_rollup_forget(org uuid, at timestamptz) returns void language sql as $$
    delete from call_latency_rollup
     where org_id = org
       and ((unit = 'hour' and bucket = date_trunc('hour', at at time zone 'UTC') at time zone 'UTC')
         or (unit = 'day' and bucket = date_trunc('day', at at time zone 'UTC') at time zone 'UTC'));
$$;

-- A turn written late (its bucket may be rolled up already). The journal writes turns within moments of their
-- time, so the hot path never fires this; a node whose clock runs behind does, at one primary-key delete a turn.
create function call_latency_rollup_late_turn() returns trigger language plpgsql as $$
begin
    perform call_latency_rollup_forget(new.org_id, new.at);
    return null;
end $$;
create trigger call_events_late_turn after insert on call_events
    for each row when (new.type = 'turn' and new.at < now() - interval '1 minute')
    execute function call_latency_rollup_late_turn();

-- Turns deleted (a call or an organization deleted, retention) or changed: their buckets are computed again.
create function call_latency_rollup_deleted() returns trigger language plpgsql as $$
begin
    perform call_latency_rollup_forget(o.org_id, o.at) from (select distinct org_id, at from gone where type = 'turn') o;
    return null;
end $$;
create trigger call_events_deleted after delete on call_events
    referencing old table as gone for each statement execute function call_latency_rollup_deleted();
create trigger call_events_updated_old after update on call_events
    referencing old table as gone for each statement execute function call_latency_rollup_deleted();
create trigger call_events_updated_new after update on call_events
    referencing new table as gone for each statement execute function call_latency_rollup_deleted();

