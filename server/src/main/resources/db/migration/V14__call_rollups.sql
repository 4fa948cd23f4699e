-- The overview's figures at any number of calls (CallStatistics): closed hours (and days) are computed once from
-- the calls and their turn events, the first time a request needs them, then read as one row each. Rows are a
-- cache: any change to what a row sums up deletes it (the triggers below), and the next request computes it again.
-- Filling and forgetting an organization's rows hold the same transaction lock (call_rollups_lock), so a row is
-- never computed from a snapshot older than a change that forgot it.

create function call_rollups_lock(org uuid) returns void language sql as $$
    select pg_advisory_xact_lock(hashtextextended('call-rollups:' || org::text, 0));
$$;

-- Turn latency per closed UTC hour and day: p50/p90 of the turns' firstAudioOutMs (percentiles do not add up, so
-- each unit keeps its own rows). turns = 0 records a bucket without turns.
create table call_latency_rollup (
    org_id  uuid             not null references organizations (id) on delete cascade,
    unit    text             not null check (unit in ('hour', 'day')),
    bucket  timestamptz      not null,
    turns   bigint           not null check (turns >= 0),
    p50_ms  double precision,
    p90_ms  double precision,
    primary key (org_id, unit, bucket)
);

-- Calls by the closed UTC hour they started in: how many, failed, ended, and the ended calls' seconds from answer
-- (or start) to end, summed exactly (numeric), so the average over any hours is the one avg() gives.
create table call_counts_hourly (
    org_id        uuid    not null references organizations (id) on delete cascade,
    hour          timestamptz not null,
    calls         bigint  not null check (calls >= 0),
    failed        bigint  not null check (failed >= 0),
    ended         bigint  not null check (ended >= 0),
    ended_seconds numeric not null,
    primary key (org_id, hour)
);

create function call_latency_rollup_forget(org uuid, at timestamptz) returns void language sql as $$
    select call_rollups_lock(org);
    delete from call_latency_rollup
     where org_id = org
       and ((unit = 'hour' and bucket = date_trunc('hour', at at time zone 'UTC') at time zone 'UTC')
         or (unit = 'day' and bucket = date_trunc('day', at at time zone 'UTC') at time zone 'UTC'));
$$;

create function call_counts_hourly_forget(org uuid, started timestamptz) returns void language sql as $$
    select call_rollups_lock(org);
    delete from call_counts_hourly where org_id = org and hour = date_trunc('hour', started at time zone 'UTC') at time zone 'UTC';
$$;

-- A turn written late (its bucket may be rolled up already). The journal writes turns within moments of their
-- time, so the hot path never fires this; a node whose clock runs behind does, at one primary-key delete a turn.
create function call_events_late_turn() returns trigger language plpgsql as $$
begin
    perform call_latency_rollup_forget(new.org_id, new.at);
    return null;
end $$;
create trigger call_events_late_turn after insert on call_events
    for each row when (new.type = 'turn' and new.at < now() - interval '1 minute')
    execute function call_events_late_turn();

-- Turns deleted (a call or an organization deleted, retention) or changed: their buckets are computed again.
create function call_events_changed() returns trigger language plpgsql as $$
begin
    perform call_latency_rollup_forget(o.org_id, o.at)
       from (select distinct org_id, date_trunc('hour', at at time zone 'UTC') at time zone 'UTC' as at
               from changed where type = 'turn' order by org_id) o;
    return null;
end $$;
create trigger call_events_deleted after delete on call_events
    referencing old table as changed for each statement execute function call_events_changed();
create trigger call_events_updated_old after update on call_events
    referencing old table as changed for each statement execute function call_events_changed();
create trigger call_events_updated_new after update on call_events
    referencing new table as changed for each statement execute function call_events_changed();

-- A call that changes what its hour sums up once the hour may be rolled up: inserted with an earlier start (an
-- import), ended or failed after its hour closed (calls longer than the grace), or changed otherwise. A call's first
-- minute never fires these, nor do updates of other columns (recordings, provider status).
create function call_counts_call_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        perform call_counts_hourly_forget(old.org_id, old.started_at);
    end if;
    perform call_counts_hourly_forget(new.org_id, new.started_at);
    return null;
end $$;
create trigger calls_inserted_late after insert on calls
    for each row when (new.started_at < now() - interval '1 minute')
    execute function call_counts_call_changed();
create trigger calls_counted_changed after update on calls
    for each row when (old.started_at < now() - interval '1 minute'
        and (old.org_id, old.started_at, old.status, old.answered_at, old.ended_at)
            is distinct from (new.org_id, new.started_at, new.status, new.answered_at, new.ended_at))
    execute function call_counts_call_changed();

create function calls_deleted() returns trigger language plpgsql as $$
begin
    perform call_counts_hourly_forget(o.org_id, o.started_at)
       from (select distinct org_id, date_trunc('hour', started_at at time zone 'UTC') at time zone 'UTC' as started_at
               from gone order by org_id) o;
    return null;
end $$;
create trigger calls_deleted after delete on calls
    referencing old table as gone for each statement execute function calls_deleted();
