using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>Whether the record's consents let HealthAssist assess the patient, and which Consent says no.</summary>
public sealed record ConsentDecision(bool Permitted, string? DeniedBy, string? Reason)
{
    public static ConsentDecision Permit { get; } = new(true, null, null);
}

/// <summary>
/// Reads the patient's Consent resources for a refusal of AI processing. A Consent refuses when it is active, in force
/// at the index time, and its provision (or a nested one) is <c>deny</c> for the purpose "processing by AI decision
/// support" (<see cref="AiProcessingSystem"/>#<see cref="AiProcessingCode"/>, no standard code exists) — or denies
/// treatment-scope use without restricting purpose, actor or data (a blanket refusal, which includes us). Consents
/// that are draft, rejected, inactive, expired or about research only do not stop an assessment; research consents
/// are honoured by studies and the features export instead.
/// </summary>
public static class ConsentPolicy
{
    public const string AiProcessingSystem = "urn:healthassist:consent-purpose";
    public const string AiProcessingCode = "ai-processing";
    private const string ScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";

    public static ConsentDecision Evaluate(FhirRecord record, DateTimeOffset indexTime)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var consent in record.All<Consent>())
        {
            if (consent.Status != Consent.ConsentState.Active || consent.Provision is not { } provision || !InForce(provision.Period, indexTime))
            {
                continue;
            }

            var treatmentScope = consent.Scope?.Coding.Any(c => c.System == ScopeSystem && c.Code is "treatment" or "patient-privacy") == true;
            if (Denies(provision, treatmentScope, indexTime) is { } reason)
            {
                return new ConsentDecision(false, consent.Id is null ? "Consent" : $"Consent/{consent.Id}", reason);
            }
        }

        return ConsentDecision.Permit;
    }

    private static string? Denies(Consent.provisionComponent provision, bool treatmentScope, DateTimeOffset indexTime)
    {
        if (provision.Type == Consent.ConsentProvisionType.Deny)
        {
            if (provision.Purpose.Any(p => p.System == AiProcessingSystem && p.Code == AiProcessingCode))
            {
                return "an active Consent denies processing by AI decision support";
            }

            if (treatmentScope && provision.Purpose.Count == 0 && provision.Actor.Count == 0 && provision.Data.Count == 0 && provision.Class.Count == 0)
            {
                return "an active Consent denies use of the record for treatment";
            }
        }

        // A nested provision refuses AI processing in the same way; a blanket deny counts only at the top level.
        return provision.Provision.Where(p => InForce(p.Period, indexTime)).Select(p => Denies(p, treatmentScope: false, indexTime)).FirstOrDefault(r => r is not null);
    }

    private static bool InForce(Period? period, DateTimeOffset at) =>
        period is null
        || ((CaseViewBuilder.Time(period.StartElement) is not { } start || start <= at)
            && (CaseViewBuilder.Time(period.EndElement) is not { } end || end >= at));
}
