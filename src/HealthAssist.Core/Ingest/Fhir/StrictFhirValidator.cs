using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace HealthAssist.Ingest.Fhir;

/// <summary>
/// The stricter mode: full R4 validation (cardinality, invariants, bindings to the spec's value sets) with the Firely
/// validator and the offline specification package. Costly on first use per resource type (about 4 s to compile the
/// structure definitions), milliseconds afterwards, so one instance serves the whole process.
/// </summary>
public sealed class StrictFhirValidator
{
    private readonly Lazy<Validator> _validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lock _gate = new();

    /// <summary>Validates every resource of the record (a Bundle's entries one by one) and returns the problems found.</summary>
    public IReadOnlyList<FhirInputIssue> Validate(FhirRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var issues = new List<FhirInputIssue>();
        foreach (var resource in record.Resources.Where(r => r is not Bundle))
        {
            OperationOutcome outcome;
            lock (_gate)
            {
                outcome = _validator.Value.Validate(resource);
            }

            var where = $"{resource.TypeName}/{resource.Id}";
            foreach (var issue in outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal or OperationOutcome.IssueSeverity.Warning))
            {
                var location = issue.Expression.FirstOrDefault() ?? where;
                var message = issue.Details?.Text ?? issue.Diagnostics ?? "Validation failed.";
                issues.Add(new FhirInputIssue(issue.Severity ?? OperationOutcome.IssueSeverity.Error, issue.Code ?? OperationOutcome.IssueType.Invalid, $"{where} {location}", message));
            }
        }

        return issues;
    }
}
