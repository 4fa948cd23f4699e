-- Tenants, people and who may do what where. Every tenant table after this one carries org_id.
create table organizations (
    id          uuid        primary key,
    name        text        not null check (length(name) between 1 and 200),
    created_at  timestamptz not null default now()
);

create table users (
    id                  uuid        primary key,
    email               text        not null check (length(email) between 3 and 320),
    password_hash       text        not null,
    display_name        text,
    created_at          timestamptz not null default now(),
    password_changed_at timestamptz not null default now()
);
create unique index users_email_unique on users (lower(email));

create table memberships (
    org_id      uuid        not null references organizations (id) on delete cascade,
    user_id     uuid        not null references users (id) on delete cascade,
    role        text        not null check (role in ('owner', 'admin', 'member', 'viewer')),
    created_at  timestamptz not null default now(),
    primary key (org_id, user_id)
);
create index memberships_by_user on memberships (user_id);
