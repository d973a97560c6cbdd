using Hl7.Fhir.Model;

namespace HealthAssist.Api.Assessments;

/// <summary>The <c>$assess</c> operation as declared in <c>/fhir/metadata</c> and served at <c>/fhir/OperationDefinition/assess</c>.</summary>
public static class AssessOperation
{
    public const string Canonical = "https://healthassist.example.org/fhir/OperationDefinition/assess";

    public static OperationDefinition Definition { get; } = new()
    {
        Id = "assess",
        Url = Canonical,
        Version = "1.0.0",
        Name = "Assess",
        Title = "AI-assisted assessment of one patient (demonstration models, not for clinical use)",
        Status = PublicationStatus.Active,
        Kind = OperationDefinition.OperationKind.Operation,
        Code = "assess",
        Description = "De-identifies the patient's record, images and recordings, runs the fusion model and returns provisional diagnosis suggestions, "
            + "draft treatment orders (status draft, intent proposal) and outcome risks as a Bundle (type collection), with an OperationOutcome of warnings. "
            + "Every result is audited before it is returned. An active Consent denying AI processing stops the operation.",
        Resource = [ResourceType.Patient],
        System = true,
        Type = false,
        Instance = true,
        AffectsState = true,
        Parameter =
        [
            In("record", 0, "1", "Bundle", "The patient's record (exactly one Patient). Required at the system level; at the instance level the record is pulled from the EHR."),
            In("image", 0, "*", "Attachment", "A chest radiograph as DICOM Part 10 (application/dicom): data inline, or url naming a Binary in the record bundle."),
            new OperationDefinition.ParameterComponent
            {
                Name = "recording", Use = OperationParameterUse.In, Min = 0, Max = "*",
                Documentation = "An auscultation recording (WAV).",
                Part =
                [
                    In("sound", 1, "1", "code", "heart | lung"),
                    In("site", 0, "1", "string", "Auscultation site, e.g. aortic, mitral, left-lower-posterior."),
                    In("content", 1, "1", "Attachment", "audio/wav: data inline, or url naming a Binary in the record bundle."),
                ],
            },
            In("indexTime", 0, "1", "dateTime", "When the patient is assessed (default: now). Only data known at that time is used."),
            new OperationDefinition.ParameterComponent
            {
                Name = "return", Use = OperationParameterUse.Out, Min = 1, Max = "1", Type = FHIRAllTypes.Bundle,
                Documentation = "Collection: provisional Conditions, RiskAssessments, draft RequestGroups with MedicationRequests/ServiceRequests, DetectedIssues, Devices (models), Provenance, OperationOutcome (warnings).",
            },
        ],
    };

    private static OperationDefinition.ParameterComponent In(string name, int min, string max, string type, string documentation) => new()
    {
        Name = name,
        Use = OperationParameterUse.In,
        Min = min,
        Max = max,
        Type = Enum.Parse<FHIRAllTypes>(type, ignoreCase: true),
        Documentation = documentation,
    };
}
