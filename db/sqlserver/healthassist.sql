IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE TABLE [audit_checkpoints] (
        [id] bigint NOT NULL IDENTITY,
        [sequence] bigint NOT NULL,
        [chain_head] varbinary(32) NOT NULL,
        [merkle_root] varbinary(32) NOT NULL,
        [merkle_frontier] varbinary(2048) NOT NULL,
        [created_at] datetimeoffset NOT NULL,
        [key_id] nvarchar(32) NOT NULL,
        [algorithm] nvarchar(16) NOT NULL,
        [signature] varbinary(132) NOT NULL,
        CONSTRAINT [PK_audit_checkpoints] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE TABLE [audit_entries] (
        [sequence] bigint NOT NULL,
        [id] uniqueidentifier NOT NULL,
        [occurred_at] datetimeoffset NOT NULL,
        [event_type] nvarchar(100) NOT NULL,
        [outcome] nvarchar(2) NOT NULL,
        [actor_subject] nvarchar(200) NOT NULL,
        [actor_type] nvarchar(20) NOT NULL,
        [actor_roles] nvarchar(200) NOT NULL,
        [purpose_of_use] nvarchar(20) NOT NULL,
        [patient_pseudonym] nvarchar(64) NULL,
        [payload] nvarchar(max) NOT NULL,
        [previous_hash] varbinary(32) NOT NULL,
        [entry_hash] varbinary(32) NOT NULL,
        CONSTRAINT [PK_audit_entries] PRIMARY KEY ([sequence])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE INDEX [IX_audit_checkpoints_sequence] ON [audit_checkpoints] ([sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE UNIQUE INDEX [IX_audit_entries_id] ON [audit_entries] ([id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE INDEX [IX_audit_entries_occurred_at] ON [audit_entries] ([occurred_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    CREATE INDEX [IX_audit_entries_patient_pseudonym] ON [audit_entries] ([patient_pseudonym]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062445_InitialAuditTrail'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126062445_InitialAuditTrail', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062500_AuditAppendOnlyTriggers'
)
BEGIN
    EXEC(N'CREATE TRIGGER audit_entries_append_only ON audit_entries INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51001, N''audit_entries is append-only'', 1; END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062500_AuditAppendOnlyTriggers'
)
BEGIN
    EXEC(N'CREATE TRIGGER audit_checkpoints_append_only ON audit_checkpoints INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51001, N''audit_checkpoints is append-only'', 1; END')
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126062500_AuditAppendOnlyTriggers'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126062500_AuditAppendOnlyTriggers', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126082414_ReidentificationMap'
)
BEGIN
    CREATE TABLE [reidentification_map] (
        [pseudonym] nvarchar(64) NOT NULL,
        [sealed_identity] varbinary(2048) NOT NULL,
        [created_at] datetimeoffset NOT NULL,
        CONSTRAINT [PK_reidentification_map] PRIMARY KEY ([pseudonym])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126082414_ReidentificationMap'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126082414_ReidentificationMap', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    CREATE TABLE [assessment_handles] (
        [handle] nvarchar(36) NOT NULL,
        [inference_id] nvarchar(32) NOT NULL,
        [part] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_assessment_handles] PRIMARY KEY ([handle])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    CREATE TABLE [assessments] (
        [inference_id] nvarchar(32) NOT NULL,
        [created_at] datetimeoffset NOT NULL,
        [patient_pseudonym] nvarchar(64) NOT NULL,
        [channel] nvarchar(32) NOT NULL,
        [actor_subject] nvarchar(256) NOT NULL,
        [result_json] nvarchar(max) NOT NULL,
        [result_sha256] nvarchar(64) NOT NULL,
        [audit_sequence] bigint NOT NULL,
        CONSTRAINT [PK_assessments] PRIMARY KEY ([inference_id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    CREATE INDEX [IX_assessment_handles_inference_id] ON [assessment_handles] ([inference_id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    CREATE INDEX [IX_assessments_created_at] ON [assessments] ([created_at]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    CREATE INDEX [IX_assessments_patient_pseudonym] ON [assessments] ([patient_pseudonym]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261126115340_StoredAssessments'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261126115340_StoredAssessments', N'10.0.15');
END;

COMMIT;
GO

