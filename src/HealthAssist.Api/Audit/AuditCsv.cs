using System.Globalization;
using System.Text;
using HealthAssist.Record.Audit;

namespace HealthAssist.Api.Audit;

/// <summary>
/// RFC 4180 CSV of audit entries with every column of the canonical form, so each entry's hash (and the links
/// between consecutive entries) can be recomputed offline. Time is written as UTC ticks as well as ISO 8601.
/// </summary>
public static class AuditCsv
{
    public const string FormatName = "csv";

    public static readonly string[] Columns =
    [
        "sequence", "id", "occurred_at", "occurred_at_utc_ticks", "event_type", "outcome", "actor_subject", "actor_type",
        "actor_roles", "purpose_of_use", "patient_pseudonym", "payload", "previous_hash", "entry_hash",
    ];

    public static byte[] Write(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        text.AppendJoin(',', Columns).Append("\r\n");
        foreach (var e in entries)
        {
            string?[] fields =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.Id.ToString("D"), e.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
                e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture), e.EventType, e.Outcome, e.ActorSubject, e.ActorType,
                e.ActorRoles, e.PurposeOfUse, e.PatientPseudonym, e.Payload, Convert.ToHexStringLower(e.PreviousHash), Convert.ToHexStringLower(e.EntryHash),
            ];
            text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Quote(string? field)
    {
        if (field is null)
        {
            return string.Empty;
        }

        // Empty string and null must stay distinguishable for hashing: empty is written as "".
        return field.Length == 0 || field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
    }
}
