namespace HealthAssist.Record.Audit;

/// <summary>
/// One row of the append-only, hash-chained audit trail. Rows are created only by the audit appender;
/// nothing in the product updates or deletes them.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Position in the chain, starting at 1, without gaps.</summary>
    public long Sequence { get; init; }

    public Guid Id { get; init; }

    /// <summary>UTC, truncated to whole microseconds so every database stores it exactly.</summary>
    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>What happened, e.g. <c>audit.query</c>, <c>assessment.create</c>; see <see cref="AuditEventTypes"/>.</summary>
    public required string EventType { get; init; }

    /// <summary>Outcome as in FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure.</summary>
    public required string Outcome { get; init; }

    public required string ActorSubject { get; init; }

    /// <summary><c>user</c>, <c>system</c> or <c>service</c>.</summary>
    public required string ActorType { get; init; }

    /// <summary>Roles of the actor, sorted and comma-separated.</summary>
    public required string ActorRoles { get; init; }

    /// <summary>HL7 v3 PurposeOfUse code, e.g. TREAT, HOPERAT, HRESCH.</summary>
    public required string PurposeOfUse { get; init; }

    /// <summary>The patient's pseudonym, never a real identifier; null when the event concerns no patient.</summary>
    public string? PatientPseudonym { get; init; }

    /// <summary>Event details as JSON, stored and hashed byte for byte as written.</summary>
    public required string Payload { get; init; }

    public required byte[] PreviousHash { get; init; }

    public required byte[] EntryHash { get; init; }
}
