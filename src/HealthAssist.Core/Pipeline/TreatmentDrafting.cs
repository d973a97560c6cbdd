using Hl7.Fhir.Model;
using HealthAssist.Encode.Inputs;
using HealthAssist.Fuse;
using HealthAssist.Interpret;
using HealthAssist.Interpret.Treatment;

namespace HealthAssist.Pipeline;

/// <summary>
/// Adds the treatment drafts of the suggested diagnoses to an assessment before it is recorded: the RequestGroups,
/// draft orders and the DetectedIssues of the safety checks join the result Bundle and the Provenance's targets, so
/// they are stored, hashed and audited with the rest.
/// </summary>
public sealed class TreatmentDrafting(TreatmentDraftBuilder builder) : IAssessmentExtension
{
    /// <summary>The knowledge base under <paramref name="modelsFolder"/>, or null when the installation has none.</summary>
    public static TreatmentDrafting? TryLoad(string modelsFolder)
    {
        var path = Path.Combine(modelsFolder, PipelineData.TreatmentKnowledgeBase);
        return File.Exists(path) ? new TreatmentDrafting(new TreatmentDraftBuilder(TreatmentKnowledgeBase.Load(path))) : null;
    }

    public void Extend(AssessmentResources resources, FusionPrediction prediction, ModelInputs inputs, AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(context);
        var suggested = prediction.Heads.Where(h => h.Suggested && h.Label.Kind == "diagnosis").OrderByDescending(h => h.Probability).Select(h => h.Label.Key).ToList();
        if (suggested.Count == 0)
        {
            return;
        }

        var conditions = suggested.ToDictionary(key => key, key => $"Condition/{AssessmentResourceBuilder.SuggestionId(context.InferenceId, key)}", StringComparer.Ordinal);
        var drafts = builder.Build(suggested, inputs, new TreatmentContext(context.InferenceId, context.PatientReference, context.Time, conditions));
        var provenance = resources.Bundle.Entry.FindIndex(e => e.Resource is Provenance);
        foreach (var resource in drafts.All)
        {
            resources.Bundle.Entry.Insert(provenance++, new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = resource });
            resources.Provenance.Target.Add(new ResourceReference($"{resource.TypeName}/{resource.Id}"));
        }
    }
}
