-- Sign-in sessions (one per login; its refresh tokens form a family), API keys, invitations and the
-- append-only audit log.
create table auth_sessions (
    id          uuid        primary key,
    user_id     uuid        not null references users (id) on delete cascade,
    org_id      uuid        not null references organizations (id) on delete cascade,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    revoked_at  timestamptz,
    revoked_why text
);
create index auth_sessions_by_user on auth_sessions (user_id) where revoked_at is null;

create table refresh_tokens (
    token_hash  bytea       primary key,
    session_id  uuid        not null references auth_sessions (id) on delete cascade,
    issued_at   timestamptz not null default now(),
    used_at     timestamptz
);
create index refresh_tokens_by_session on refresh_tokens (session_id);

create table api_keys (
    id           uuid        primary key,
    org_id       uuid        not null references organizations (id) on delete cascade,
    name         text        not null check (length(name) between 1 and 100),
    prefix       text        not null unique,
    key_hash     bytea       not null,
    scopes       text[]      not null,
    created_by   uuid        references users (id) on delete set null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_keys_by_org on api_keys (org_id, id desc);

create table invitations (
    token_hash  bytea       primary key,
    org_id      uuid        not null references organizations (id) on delete cascade,
    email       text        not null,
    role        text        not null check (role in ('admin', 'member', 'viewer')),
    invited_by  uuid        references users (id) on delete set null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    accepted_at timestamptz
);

create table audit_events (
    id          uuid        primary key,
    org_id      uuid        references organizations (id) on delete cascade,
    actor_user  uuid,
    actor_key   uuid,
    action      text        not null,
    target_type text,
    target_id   text,
    ip          text,
    user_agent  text,
    request_id  text,
    details     jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now()
);
create index audit_events_by_org on audit_events (org_id, id desc);

-- Append-only: no path in the application updates or deletes audit entries, and the database refuses it.
-- (Deleting an organization removes its entries by cascade; that is the only way they go.)
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and pg_trigger_depth() > 1 then
        return old; -- the cascade from deleting the organization itself
    end if;
    raise exception 'audit_events is append-only';
end $$;
create trigger audit_events_no_update before update or delete on audit_events
    for each row execute function audit_events_append_only();

alter table organizations add column rate_limit_per_minute integer check (rate_limit_per_minute between 1 and 100000);
