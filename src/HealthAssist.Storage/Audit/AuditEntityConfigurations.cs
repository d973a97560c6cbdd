using HealthAssist.Record.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HealthAssist.Storage.Audit;

// Table and column names are snake_case on every provider so that operators (and the tamper tests) can write
// plain SQL against them without quoting.
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(e => e.Id).HasColumnName("id");
        builder.HasIndex(e => e.Id).IsUnique();
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.HasIndex(e => e.OccurredAt);
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(100);
        builder.Property(e => e.Outcome).HasColumnName("outcome").HasMaxLength(2);
        builder.Property(e => e.ActorSubject).HasColumnName("actor_subject").HasMaxLength(200);
        builder.Property(e => e.ActorType).HasColumnName("actor_type").HasMaxLength(20);
        builder.Property(e => e.ActorRoles).HasColumnName("actor_roles").HasMaxLength(200);
        builder.Property(e => e.PurposeOfUse).HasColumnName("purpose_of_use").HasMaxLength(20);
        builder.Property(e => e.PatientPseudonym).HasColumnName("patient_pseudonym").HasMaxLength(64);
        builder.HasIndex(e => e.PatientPseudonym);
        // Plain text, never jsonb: the payload is hashed byte for byte and must come back exactly as written.
        builder.Property(e => e.Payload).HasColumnName("payload");
        builder.Property(e => e.PreviousHash).HasColumnName("previous_hash").HasMaxLength(AuditChain.HashLength);
        builder.Property(e => e.EntryHash).HasColumnName("entry_hash").HasMaxLength(AuditChain.HashLength);
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("audit_checkpoints");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasColumnName("id").ValueGeneratedOnAdd();
        builder.Property(c => c.Sequence).HasColumnName("sequence");
        builder.HasIndex(c => c.Sequence);
        builder.Property(c => c.ChainHead).HasColumnName("chain_head").HasMaxLength(AuditChain.HashLength);
        builder.Property(c => c.MerkleRoot).HasColumnName("merkle_root").HasMaxLength(AuditChain.HashLength);
        builder.Property(c => c.MerkleFrontier).HasColumnName("merkle_frontier").HasMaxLength(64 * AuditChain.HashLength);
        builder.Property(c => c.CreatedAt).HasColumnName("created_at");
        builder.Property(c => c.KeyId).HasColumnName("key_id").HasMaxLength(32);
        builder.Property(c => c.Algorithm).HasColumnName("algorithm").HasMaxLength(16);
        builder.Property(c => c.Signature).HasColumnName("signature").HasMaxLength(132);
    }
}
