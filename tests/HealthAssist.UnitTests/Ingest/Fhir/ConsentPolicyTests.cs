using HealthAssist.Ingest.Fhir;
using Hl7.Fhir.Model;

namespace HealthAssist.UnitTests.Ingest.Fhir;

public sealed class ConsentPolicyTests
{
    private static readonly DateTimeOffset IndexTime = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ActiveDenialOfAiProcessing_RefusesTheAssessment()
    {
        var decision = ConsentPolicy.Evaluate(Record(Consent().DenyingAi()), IndexTime);

        Assert.False(decision.Permitted);
        Assert.Equal("Consent/c1", decision.DeniedBy);
        Assert.Contains("AI", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BlanketTreatmentDenial_RefusesTheAssessment()
    {
        var decision = ConsentPolicy.Evaluate(Record(Consent().Denying()), IndexTime);

        Assert.False(decision.Permitted);
    }

    [Fact]
    public void ResearchOnlyDenial_DoesNotStopAnAssessment()
    {
        var consent = Consent("research").Denying();
        consent.Provision!.Purpose.Add(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH"));

        Assert.True(ConsentPolicy.Evaluate(Record(consent), IndexTime).Permitted);
    }

    [Theory]
    [InlineData(Hl7.Fhir.Model.Consent.ConsentState.Draft)]
    [InlineData(Hl7.Fhir.Model.Consent.ConsentState.Inactive)]
    [InlineData(Hl7.Fhir.Model.Consent.ConsentState.Rejected)]
    [InlineData(Hl7.Fhir.Model.Consent.ConsentState.EnteredInError)]
    public void DenialThatIsNotActive_DoesNotStopAnAssessment(Consent.ConsentState status)
    {
        var consent = Consent().DenyingAi();
        consent.Status = status;

        Assert.True(ConsentPolicy.Evaluate(Record(consent), IndexTime).Permitted);
    }

    [Fact]
    public void DenialOutsideItsPeriod_DoesNotStopAnAssessment()
    {
        var consent = Consent().DenyingAi();
        consent.Provision!.Period = new Period(new FhirDateTime(2025, 1, 1), new FhirDateTime(2025, 12, 31));

        Assert.True(ConsentPolicy.Evaluate(Record(consent), IndexTime).Permitted);
    }

    [Fact]
    public void NestedDenialOfAiProcessing_InsideAPermit_RefusesTheAssessment()
    {
        var consent = Consent();
        consent.Provision = new Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Provision = [new Consent.provisionComponent
            {
                Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny,
                Purpose = [new Coding(ConsentPolicy.AiProcessingSystem, ConsentPolicy.AiProcessingCode)],
            }],
        };

        Assert.False(ConsentPolicy.Evaluate(Record(consent), IndexTime).Permitted);
    }

    [Fact]
    public void PermitForTreatment_AllowsTheAssessment()
    {
        var consent = Consent();
        consent.Provision = new Consent.provisionComponent { Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit };

        Assert.True(ConsentPolicy.Evaluate(Record(consent), IndexTime).Permitted);
    }

    private static Consent Consent(string scope = "treatment") => new()
    {
        Id = "c1",
        Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", scope),
        Category = [new CodeableConcept("http://loinc.org", "59284-0")],
        Patient = new ResourceReference("Patient/p1"),
    };

    private static FhirRecord Record(Consent consent)
    {
        var record = new FhirRecord();
        record.Add(new Patient { Id = "p1" });
        record.Add(consent);
        return record;
    }
}

internal static class ConsentBuilderExtensions
{
    public static Consent Denying(this Consent consent)
    {
        consent.Provision = new Consent.provisionComponent { Type = Consent.ConsentProvisionType.Deny };
        return consent;
    }

    public static Consent DenyingAi(this Consent consent)
    {
        consent.Denying().Provision!.Purpose.Add(new Coding(ConsentPolicy.AiProcessingSystem, ConsentPolicy.AiProcessingCode));
        return consent;
    }
}
