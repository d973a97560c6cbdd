using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HealthAssist.Storage.Reidentification;

/// <summary>One row of the re-identification map: a pseudonym and its sealed identity (never stored in clear).</summary>
public sealed class ReidentificationEntry
{
    public required string Pseudonym { get; init; }

    /// <summary>AES-256-GCM, see <see cref="HealthAssist.Deidentify.Reidentification.ReidentificationCipher"/>.</summary>
    public required byte[] SealedIdentity { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class ReidentificationEntryConfiguration : IEntityTypeConfiguration<ReidentificationEntry>
{
    public void Configure(EntityTypeBuilder<ReidentificationEntry> builder)
    {
        builder.ToTable("reidentification_map");
        builder.HasKey(e => e.Pseudonym);
        builder.Property(e => e.Pseudonym).HasColumnName("pseudonym").HasMaxLength(64);
        builder.Property(e => e.SealedIdentity).HasColumnName("sealed_identity").HasMaxLength(2048);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
    }
}
