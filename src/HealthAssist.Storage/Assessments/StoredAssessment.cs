using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HealthAssist.Storage.Assessments;

/// <summary>
/// One inference's result, as the portal and CDS Hooks feedback find it: the de-identified result Bundle (subject =
/// the pseudonym) and the audit entry it was committed with. Written once, in the same transaction as that entry.
/// Clinician reviews are new audit entries that reference <see cref="InferenceId"/>, never updates of this row.
/// </summary>
public sealed class StoredAssessment
{
    /// <summary>32 hex characters (a version 7 GUID): every generated resource id starts with it.</summary>
    public required string InferenceId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public required string PatientPseudonym { get; init; }

    /// <summary><c>fhir-inline</c>, <c>fhir-pull</c>, <c>cds-hooks</c> or <c>cli</c>.</summary>
    public required string Channel { get; init; }

    public required string ActorSubject { get; init; }

    /// <summary>The result Bundle (FHIR JSON), de-identified.</summary>
    public required string ResultJson { get; init; }

    public required string ResultSha256 { get; init; }

    /// <summary>The sequence of the <c>assessment.create</c> audit entry.</summary>
    public long AuditSequence { get; init; }
}

internal sealed class StoredAssessmentConfiguration : IEntityTypeConfiguration<StoredAssessment>
{
    public void Configure(EntityTypeBuilder<StoredAssessment> builder)
    {
        builder.ToTable("assessments");
        builder.HasKey(e => e.InferenceId);
        builder.Property(e => e.InferenceId).HasColumnName("inference_id").HasMaxLength(32);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.PatientPseudonym).HasColumnName("patient_pseudonym").HasMaxLength(64);
        builder.Property(e => e.Channel).HasColumnName("channel").HasMaxLength(32);
        builder.Property(e => e.ActorSubject).HasColumnName("actor_subject").HasMaxLength(256);
        builder.Property(e => e.ResultJson).HasColumnName("result_json");
        builder.Property(e => e.ResultSha256).HasColumnName("result_sha256").HasMaxLength(64);
        builder.Property(e => e.AuditSequence).HasColumnName("audit_sequence");
        builder.HasIndex(e => e.PatientPseudonym);
        builder.HasIndex(e => e.CreatedAt);
    }
}

/// <summary>
/// A handle by which a client refers back to one part of an assessment — a CDS Hooks card's <c>uuid</c> for one
/// suggested diagnosis, or for the outcome risks — so that feedback on the card finds its inference.
/// </summary>
public sealed class AssessmentHandle
{
    public required string Handle { get; init; }

    public required string InferenceId { get; init; }

    /// <summary>The diagnosis key, or <c>outcomes</c>.</summary>
    public required string Part { get; init; }
}

internal sealed class AssessmentHandleConfiguration : IEntityTypeConfiguration<AssessmentHandle>
{
    public void Configure(EntityTypeBuilder<AssessmentHandle> builder)
    {
        builder.ToTable("assessment_handles");
        builder.HasKey(e => e.Handle);
        builder.Property(e => e.Handle).HasColumnName("handle").HasMaxLength(36);
        builder.Property(e => e.InferenceId).HasColumnName("inference_id").HasMaxLength(32);
        builder.Property(e => e.Part).HasColumnName("part").HasMaxLength(64);
        builder.HasIndex(e => e.InferenceId);
    }
}
