-- Agents and their immutable versions. Every create and update writes a new agent_versions row holding the
-- whole definition; agents points at the current one. A deleted agent is only marked (deleted_at): its
-- versions stay, because calls record the version they ran.
create table agents (
    id              uuid        primary key,
    org_id          uuid        not null references organizations (id) on delete cascade,
    name            text        not null check (length(name) between 1 and 100),
    current_version integer     not null check (current_version >= 1),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    deleted_at      timestamptz,
    unique (id, org_id)
);
-- Names are unique per organization, ignoring case, among agents that are not deleted.
create unique index agents_name_per_org on agents (org_id, lower(name)) where deleted_at is null;
create index agents_by_org on agents (org_id, id desc) where deleted_at is null;

create table agent_versions (
    id              uuid        primary key,
    agent_id        uuid        not null,
    org_id          uuid        not null,
    version         integer     not null check (version >= 1),
    definition      jsonb       not null check (jsonb_typeof(definition) = 'object'),
    created_by_user uuid,
    created_by_key  uuid,
    created_at      timestamptz not null default now(),
    unique (agent_id, version),
    -- A version belongs to an agent of the same organization.
    foreign key (agent_id, org_id) references agents (id, org_id) on delete cascade
);

-- The current version must exist; checked at commit, because an agent and its first version are inserted together.
alter table agents add constraint agents_current_version_exists
    foreign key (id, current_version) references agent_versions (agent_id, version) deferrable initially deferred;

-- Immutable: the database refuses to change or remove a version (or to truncate them all), and so to
-- delete an agent that has versions. Versions go only with their organization: when the cascade from
-- deleting it reaches them, the organization row is already gone.
create function agent_versions_immutable() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' and not exists (select 1 from organizations where id = old.org_id) then
        return old;
    end if;
    raise exception 'agent_versions are immutable';
end $$;
create trigger agent_versions_no_change before update or delete on agent_versions
    for each row execute function agent_versions_immutable();
create trigger agent_versions_no_truncate before truncate on agent_versions
    for each statement execute function agent_versions_immutable();
