-- Knowledge bases, their documents and the documents' chunks with embeddings. PostgreSQL holds the truth:
-- the Lucene index each node keeps per organization on disk is derived from these tables and rebuilt from them.
create table knowledge_bases (
    id          uuid        primary key,
    org_id      uuid        not null references organizations (id) on delete cascade,
    name        text        not null check (length(name) between 1 and 200),
    description text        check (length(description) <= 2000),
    created_by  uuid        references users (id) on delete set null,
    created_at  timestamptz not null default now(),
    unique (org_id, id)
);
create unique index knowledge_bases_unique_name on knowledge_bases (org_id, lower(name));
create index knowledge_bases_by_org on knowledge_bases (org_id, id desc);

-- (org_id, knowledge_base_id) references the base of the same organization: a document cannot cross tenants.
create table knowledge_documents (
    id                uuid        primary key,
    org_id            uuid        not null,
    knowledge_base_id uuid        not null,
    name              text        not null check (length(name) between 1 and 255),
    content_type      text        not null,
    size_bytes        bigint      not null check (size_bytes > 0),
    sha256            bytea       not null,
    characters        integer     not null,
    chunk_count       integer     not null,
    created_by        uuid        references users (id) on delete set null,
    created_at        timestamptz not null default now(),
    foreign key (org_id, knowledge_base_id) references knowledge_bases (org_id, id) on delete cascade,
    unique (org_id, id)
);
create index knowledge_documents_by_base on knowledge_documents (org_id, knowledge_base_id, id desc);
create unique index knowledge_documents_same_content on knowledge_documents (knowledge_base_id, sha256);

-- embedding: float32 little-endian, unit length, made by embedding_model; null when none was made.
create table knowledge_chunks (
    id                uuid    primary key,
    org_id            uuid    not null,
    knowledge_base_id uuid    not null,
    document_id       uuid    not null,
    position          integer not null check (position >= 0),
    text              text    not null,
    embedding         bytea,
    embedding_model   text,
    foreign key (org_id, document_id) references knowledge_documents (org_id, id) on delete cascade,
    unique (document_id, position)
);
create index knowledge_chunks_by_org on knowledge_chunks (org_id, document_id);

-- Every change to an organization's knowledge bumps its generation and logs what changed, in the change's
-- own transaction (the row lock on the generation serializes writers across nodes). An index records the
-- generation it reflects and catches up by replaying the log; one too far behind is rebuilt.
create table knowledge_generations (
    org_id     uuid   primary key references organizations (id) on delete cascade,
    generation bigint not null
);

-- document_id null: the whole knowledge base is gone.
create table knowledge_changes (
    org_id            uuid        not null references organizations (id) on delete cascade,
    generation        bigint      not null,
    knowledge_base_id uuid        not null,
    document_id       uuid,
    changed_at        timestamptz not null default now(),
    primary key (org_id, generation)
);
