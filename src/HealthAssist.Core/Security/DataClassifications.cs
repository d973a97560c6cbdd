using Microsoft.Extensions.Compliance.Classification;

namespace HealthAssist.Security;

/// <summary>
/// Data classes for log redaction. A log parameter marked <see cref="PhiAttribute"/> is erased before any log
/// provider sees it; <see cref="PseudonymousAttribute"/> values (pseudonyms, hashes) pass, since they identify no one.
/// </summary>
public static class HealthAssistTaxonomy
{
    public const string Name = "HealthAssist";

    public static DataClassification Phi => new(Name, nameof(Phi));

    public static DataClassification Pseudonymous => new(Name, nameof(Pseudonymous));
}

/// <summary>Protected health information (names, identifiers, dates, free text): never logged.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class PhiAttribute : DataClassificationAttribute
{
    public PhiAttribute()
        : base(HealthAssistTaxonomy.Phi)
    {
    }
}

/// <summary>Pseudonymous values derived with the deployment secret; safe to log.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class PseudonymousAttribute : DataClassificationAttribute
{
    public PseudonymousAttribute()
        : base(HealthAssistTaxonomy.Pseudonymous)
    {
    }
}
