-- Keyflow local credential store, H2. Idempotent: KeyflowSchema runs it at every start.
-- TENANT_ID_ is '' for tenant-less credentials, so that the unique indexes apply to them too.
-- SECRET_ holds base64(AES-256-GCM ciphertext) of a JSON object of the secret parts; KEY_ID_ names its key.
-- Timestamps are UTC.

create table if not exists KEYFLOW_CREDENTIAL (
    ID_ varchar(36) not null,
    TENANT_ID_ varchar(64) not null,
    KEY_ varchar(128),
    NAME_ varchar(255),
    TYPE_ varchar(16) not null,
    PROVIDER_ varchar(64),
    PRINCIPAL_ID_ varchar(255),
    SCOPES_ varchar(4000),
    EXPIRES_AT_ timestamp,
    STATUS_ varchar(32) not null,
    METADATA_ clob,
    KEY_ID_ varchar(16) not null,
    SECRET_ clob not null,
    REV_ integer not null,
    CREATED_AT_ timestamp not null,
    UPDATED_AT_ timestamp not null,
    constraint KEYFLOW_PK_CREDENTIAL primary key (ID_)
);

-- NULLs are distinct: many key-less credentials, many principal-less ones (tenant defaults) per provider
create unique index if not exists KEYFLOW_UX_CRED_KEY on KEYFLOW_CREDENTIAL (TENANT_ID_, KEY_);
create unique index if not exists KEYFLOW_UX_CRED_PRINCIPAL on KEYFLOW_CREDENTIAL (TENANT_ID_, PRINCIPAL_ID_, PROVIDER_);
create index if not exists KEYFLOW_IX_CRED_PROVIDER on KEYFLOW_CREDENTIAL (TENANT_ID_, PROVIDER_);
-- start-up key check and re-encryption look rows up by key id
create index if not exists KEYFLOW_IX_CRED_KEY_ID on KEYFLOW_CREDENTIAL (KEY_ID_);
