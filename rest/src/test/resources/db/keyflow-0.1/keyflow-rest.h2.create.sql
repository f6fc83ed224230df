-- Keyflow REST API, h2. Idempotent: KeyflowSchema runs it at every start, after keyflow-oauth2.h2.create.sql.
-- Timestamps are UTC. TENANT_ID_ is '' for a key (or an event) not bound to a tenant.

-- API keys of the REST API. HASH_ is the hex SHA-256 of the key; the key itself is shown once, at creation, and
-- never stored. A revoked key keeps its row (REVOKED_AT_ set) so that audit events still name it.
create table if not exists KEYFLOW_API_KEY (
    ID_ varchar(36) not null,
    NAME_ varchar(255) not null,
    ROLE_ varchar(16) not null,
    TENANT_ID_ varchar(64) not null,
    HASH_ varchar(64) not null,
    CREATED_AT_ timestamp not null,
    CREATED_BY_ varchar(255),
    REVOKED_AT_ timestamp,
    constraint KEYFLOW_PK_API_KEY primary key (ID_)
);

create unique index if not exists KEYFLOW_UX_API_KEY_HASH on KEYFLOW_API_KEY (HASH_);

-- The audit trail: who did what to which credential, when, and how it ended. Never a secret value.
create table if not exists KEYFLOW_AUDIT (
    ID_ varchar(36) not null,
    AT_ timestamp not null,
    ACTOR_ID_ varchar(64) not null,
    ACTOR_NAME_ varchar(255),
    TENANT_ID_ varchar(64) not null,
    ACTION_ varchar(32) not null,
    CREDENTIAL_ID_ varchar(36),
    CREDENTIAL_KEY_ varchar(128),
    SUBJECT_ varchar(255),
    OUTCOME_ varchar(16) not null,
    ERROR_CODE_ varchar(32),
    constraint KEYFLOW_PK_AUDIT primary key (ID_)
);

create index if not exists KEYFLOW_IX_AUDIT_AT on KEYFLOW_AUDIT (AT_);
