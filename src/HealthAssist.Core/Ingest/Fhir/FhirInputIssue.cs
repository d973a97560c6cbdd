using Hl7.Fhir.Model;

namespace HealthAssist.Ingest.Fhir;

/// <summary>
/// One problem found in submitted FHIR: how bad, what kind (FHIR issue-type code), where (FHIRPath or file:line) and
/// what. Messages describe structure ("unknown element 'name1'"), never patient values.
/// </summary>
public sealed record FhirInputIssue(OperationOutcome.IssueSeverity Severity, OperationOutcome.IssueType Code, string Location, string Message)
{
    public bool IsError => Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;

    public static FhirInputIssue Error(string location, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Invalid) =>
        new(OperationOutcome.IssueSeverity.Error, code, location, message);

    public static FhirInputIssue Warning(string location, string message, OperationOutcome.IssueType code = OperationOutcome.IssueType.Informational) =>
        new(OperationOutcome.IssueSeverity.Warning, code, location, message);
}

public static class FhirInputIssues
{
    /// <summary>The issues as an OperationOutcome, one issue per problem with its location as expression.</summary>
    public static OperationOutcome ToOperationOutcome(this IEnumerable<FhirInputIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(issues);
        var outcome = new OperationOutcome();
        foreach (var issue in issues)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = issue.Severity,
                Code = issue.Code,
                Diagnostics = issue.Message,
                Expression = [issue.Location],
            });
        }

        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = "No problems found.",
            });
        }

        return outcome;
    }
}
