using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Pipeline;

namespace HealthAssist.Api.CdsHooks;

/// <summary>
/// Turns an assessment into CDS Hooks 2.0 cards: one per suggested diagnosis (its suggestion creates the provisional
/// Condition and the draft orders) and one for the outcome risks. Each card's uuid is the assessment handle the
/// feedback endpoint resolves to the inference.
/// </summary>
internal static class CdsCards
{
    public const string OverrideReasonSystem = "urn:healthassist:cds-override-reason";
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>Why a clinician may dismiss a card; the feedback records the one chosen.</summary>
    public static IReadOnlyList<(string Code, string Display)> OverrideReasons { get; } =
    [
        ("clinical-judgement", "Clinical judgement differs from the suggestion"),
        ("already-addressed", "Already diagnosed or treated"),
        ("inputs-inadequate", "Inputs were of poor quality or incomplete"),
        ("not-relevant", "Not relevant to this encounter"),
    ];

    public static JsonArray Build(AssessmentOutcome outcome, string portalUrl, Func<string, string, string> modelCardUrl)
    {
        var resources = outcome.Bundle.Entry.Select(e => e.Resource).OfType<Resource>().ToList();
        var fusion = outcome.Prediction.Models[^1];
        var source = new JsonObject
        {
            ["label"] = $"HealthAssist {fusion.Name}@{fusion.Version} (demonstration model, not for clinical use)",
            ["url"] = modelCardUrl(fusion.Name, fusion.Version),
        };
        var cards = new JsonArray();
        foreach (var head in outcome.Prediction.Heads.Where(h => h.Suggested).OrderByDescending(h => h.Probability))
        {
            var conditionId = Interpret.AssessmentResourceBuilder.SuggestionId(outcome.InferenceId, head.Label.Key);
            var condition = resources.OfType<Condition>().Single(c => c.Id == conditionId);
            var drafts = Drafts(resources, $"Condition/{conditionId}");
            var detail = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"**Provisional AI suggestion, not a diagnosis.** Calibrated probability {head.Probability:0.00} (suggested at ≥ {head.Label.Threshold ?? 0:0.00}).")
                .AppendLine()
                .AppendLine(condition.Note.FirstOrDefault()?.Text ?? string.Empty);
            if (drafts.Count > 0)
            {
                detail.AppendLine().AppendLine("**Draft orders** (status draft, intent proposal — review each):");
                foreach (var draft in drafts.Where(d => d is MedicationRequest or ServiceRequest))
                {
                    detail.AppendLine(CultureInfo.InvariantCulture, $"- {Describe(draft)}");
                }

                foreach (var issue in drafts.OfType<DetectedIssue>())
                {
                    detail.AppendLine(CultureInfo.InvariantCulture, $"- ⚠ {issue.Detail}");
                }
            }

            var summary = $"Possible {head.Label.Display.ToLowerInvariant()} (AI suggestion, p={head.Probability:0.00}): review";
            cards.Add(Card(outcome.Handles[head.Label.Key], Trim(summary), head.Probability >= 0.8 ? "warning" : "info", detail.ToString(), source, portalUrl,
                new JsonArray(new JsonObject
                {
                    ["label"] = $"Record provisional {head.Label.Display.ToLowerInvariant()} and draft orders",
                    ["uuid"] = Guid.NewGuid().ToString(),
                    ["isRecommended"] = false,
                    ["actions"] = new JsonArray([.. new Resource[] { condition }.Concat(drafts).Select(r => (JsonNode)new JsonObject
                    {
                        ["type"] = "create",
                        ["description"] = $"Create {r.TypeName} (AI-asserted{(r is Condition ? ", provisional" : r is DetectedIssue ? string.Empty : ", draft")})",
                        ["resource"] = JsonNode.Parse(Serializer.SerializeToString(r)),
                    })]),
                })));
        }

        var risks = resources.OfType<RiskAssessment>().Where(r => r.Code?.Coding.FirstOrDefault()?.Code is { } code && code != "diagnosis-probabilities").ToList();
        if (risks.Count > 0)
        {
            var outcomes = outcome.Prediction.Heads.Where(h => h.Label.Kind == "outcome").ToList();
            var summary = "AI risk estimate: " + string.Join(", ", outcomes.Select(h => $"{h.Label.Display} {h.Probability:0%}"));
            var detail = new StringBuilder().AppendLine("**Estimated risks (demonstration model).**").AppendLine();
            foreach (var risk in risks)
            {
                var prediction = risk.Prediction[0];
                detail.AppendLine(CultureInfo.InvariantCulture, $"- **{risk.Code!.Coding[0].Display}**: {(prediction.Probability as FhirDecimal)?.Value:0.00}. {prediction.Rationale}");
            }

            cards.Add(Card(outcome.Handles[AssessmentPipeline.OutcomesPart], Trim(summary), outcomes.Any(h => h.Probability >= 0.3) ? "warning" : "info",
                detail.ToString(), source, portalUrl, []));
        }

        return cards;
    }

    private static JsonObject Card(string uuid, string summary, string indicator, string detail, JsonObject source, string portalUrl, JsonArray suggestions) => new()
    {
        ["uuid"] = uuid,
        ["summary"] = summary,
        ["indicator"] = indicator,
        ["detail"] = detail,
        ["source"] = source.DeepClone(),
        ["suggestions"] = suggestions,
        ["selectionBehavior"] = suggestions.Count > 0 ? "at-most-one" : null,
        ["overrideReasons"] = new JsonArray([.. OverrideReasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["system"] = OverrideReasonSystem, ["display"] = r.Display })]),
        ["links"] = new JsonArray(new JsonObject { ["label"] = "Review in HealthAssist", ["url"] = portalUrl, ["type"] = "absolute" }),
    };

    /// <summary>The draft plan, orders and safety findings that answer one suggested Condition.</summary>
    private static List<Resource> Drafts(List<Resource> resources, string conditionReference)
    {
        var plans = resources.OfType<RequestGroup>().Where(p => p.ReasonReference.Any(r => r.Reference == conditionReference)).ToList();
        var orders = resources.Where(r => r is MedicationRequest m && m.ReasonReference.Any(x => x.Reference == conditionReference)
            || r is ServiceRequest s && s.ReasonReference.Any(x => x.Reference == conditionReference)).ToList();
        var orderReferences = orders.Select(o => $"{o.TypeName}/{o.Id}").ToHashSet(StringComparer.Ordinal);
        var issues = resources.OfType<DetectedIssue>().Where(i => i.Implicated.Any(x => x.Reference is { } reference && orderReferences.Contains(reference))).Cast<Resource>();
        return [.. plans, .. orders, .. issues];
    }

    private static string Describe(Resource draft) => draft switch
    {
        MedicationRequest m => Name(m.Medication as CodeableConcept, "medication") + (m.DosageInstruction.FirstOrDefault()?.Text is { } dose ? $" — {dose}" : string.Empty),
        ServiceRequest s => Name(s.Code, "service"),
        _ => draft.TypeName,
    };

    private static string Name(CodeableConcept? concept, string fallback) => concept?.Text ?? concept?.Coding.FirstOrDefault()?.Display ?? fallback;

    /// <summary>CDS Hooks: the summary must be under 140 characters.</summary>
    private static string Trim(string summary) => summary.Length < 140 ? summary : summary[..136] + "…";
}
