using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Encode.Inputs;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Security;

namespace HealthAssist.Pipeline;

/// <summary>
/// The data files under <c>models/</c> the stages before the models need — the de-identification profile and the
/// feature specification — read once, checked against what the served models were trained with.
/// </summary>
public static class PipelineData
{
    public const string DeidentificationProfile = "deid/fhir-profile.v1.json";
    public const string FeatureSpecificationFile = "features/feature-spec.v1.json";
    public const string TreatmentKnowledgeBase = "treatment/knowledge-base.v1.json";

    public static (CaseDeidentifier Deidentifier, ModelInputBuilder Inputs) Load(string modelsDirectory, DeploymentSecret secret, InputSpecification specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var features = FeatureSpecification.Load(Path.Combine(modelsDirectory, FeatureSpecificationFile));
        if (features.Version != specification.FeatureSpecification)
        {
            throw new InvalidOperationException(
                $"The models were trained with feature specification {specification.FeatureSpecification}; this installation has {features.Version}.");
        }

        var profile = FhirDeidentificationProfile.Load(Path.Combine(modelsDirectory, DeidentificationProfile));
        return (new CaseDeidentifier(profile, secret), new ModelInputBuilder(features, specification, GdcmDecoder.Default));
    }
}
