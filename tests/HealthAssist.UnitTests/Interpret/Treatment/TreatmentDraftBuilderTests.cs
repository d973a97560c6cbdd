using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Interpret;
using HealthAssist.Interpret.Treatment;

namespace HealthAssist.UnitTests.Interpret.Treatment;

public sealed class TreatmentDraftBuilderTests
{
    private static readonly StrictFhirValidator Validator = new();

    private static MedicationRequest Medication(TreatmentDrafts drafts, string orderId) =>
        Assert.Single(drafts.Medications, m => m.Id == $"{TreatmentCaseBuilder.InferenceId}-rx-{orderId}");

    private static string Reference(Resource resource) => $"{resource.TypeName}/{resource.Id}";

    private static string MedicationName(MedicationRequest request) => ((CodeableConcept)request.Medication!).Text!;

    private static string IssueCode(DetectedIssue issue) => issue.Code!.Coding.Single().Code!;

    private static string MitigationCode(DetectedIssue issue) => issue.Mitigation.Single().Action!.Coding.Single().Code!;

    private static Timing.RepeatComponent Repeat(Dosage dosage) => dosage.Timing!.Repeat!;

    private static decimal Dose(Dosage dosage) => ((Quantity)dosage.DoseAndRate.Single().Dose!).Value!.Value;

    private static List<DetectedIssue> IssuesOn(TreatmentDrafts drafts, Resource resource, string code) =>
        [.. drafts.Issues.Where(i => IssueCode(i) == code && i.Implicated.Any(r => r.Reference == Reference(resource)))];

    [Theory]
    [InlineData("pneumonia", "cap-inpatient-nonsevere")]
    [InlineData("heart_failure", "hf-acute-congestion")]
    [InlineData("copd_exacerbation", "copd-exacerbation")]
    [InlineData("aortic_stenosis", "as-evaluation")]
    [InlineData("pleural_effusion", "pleural-effusion-workup")]
    public void Build_ForEachDiagnosis_GivesOneDraftPlanWhoseActionsAreDraftProposalsForTheCondition(string diagnosis, string ruleId)
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Draft(diagnosis);

        var plan = Assert.Single(drafts.Plans);
        var condition = TreatmentCaseBuilder.Context.ConditionReferences[diagnosis];
        Assert.Equal($"{TreatmentCaseBuilder.InferenceId}-plan-{ruleId}", plan.Id);
        Assert.Equal(RequestStatus.Draft, plan.Status);
        Assert.Equal(RequestIntent.Proposal, plan.Intent);
        Assert.Equal(TreatmentCaseBuilder.PatientReference, plan.Subject!.Reference);
        Assert.Equal(condition, Assert.Single(plan.ReasonReference).Reference);
        Assert.Contains(plan.Note, n => n.Text!.Contains($"knowledge base 1.0.0", StringComparison.Ordinal) && n.Text!.Contains(ruleId, StringComparison.Ordinal));
        Assert.Contains(plan.Note, n => n.Text!.StartsWith("Source: ", StringComparison.Ordinal));
        Assert.NotEmpty(plan.Action);
        var requests = drafts.Medications.Cast<Resource>().Concat(drafts.Services).ToDictionary(Reference);
        Assert.Equal(requests.Keys.Order(), plan.Action.Select(a => a.Resource!.Reference).Order());
        Assert.All(drafts.Medications, m =>
        {
            Assert.Equal(MedicationRequest.MedicationrequestStatus.Draft, m.Status);
            Assert.Equal(MedicationRequest.MedicationRequestIntent.Proposal, m.Intent);
            Assert.Equal(condition, Assert.Single(m.ReasonReference).Reference);
            Assert.Equal(plan.Id, m.GroupIdentifier!.Value);
            Assert.NotEmpty(m.DosageInstruction);
            Assert.All(m.DosageInstruction, d => Assert.False(string.IsNullOrWhiteSpace(d.Text)));
        });
        Assert.All(drafts.Services, s =>
        {
            Assert.Equal(RequestStatus.Draft, s.Status);
            Assert.Equal(RequestIntent.Proposal, s.Intent);
            Assert.Equal(condition, Assert.Single(s.ReasonReference).Reference);
            Assert.Equal(plan.Id, s.Requisition!.Value);
        });
        Assert.Empty(drafts.Issues); // a 64-year-old with normal renal function, no allergies, no medications
    }

    [Fact]
    public void Build_ForPneumonia_DraftsBetaLactamPlusMacrolideAndCultures()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Draft("pneumonia");

        Assert.Equal(["Ampicillin / sulbactam", "Azithromycin"], drafts.Medications.Select(MedicationName));
        Assert.Equal(["600-7", "624-7"], drafts.Services.Select(s => s.Code!.Coding.Single(c => c.System == "http://loinc.org").Code));
        var ampicillin = Medication(drafts, "cap-ampicillin-sulbactam").DosageInstruction.Single();
        Assert.Equal(6m, Repeat(ampicillin).Period);
        Assert.Equal(3m, Dose(ampicillin));
        Assert.Equal("47625008", ampicillin.Route!.Coding.Single().Code);
    }

    [Fact]
    public void Build_WhenAnotherDiagnosisHasNoRule_DraftsNothingForIt()
    {
        var drafts = new TreatmentCaseBuilder().Draft("pulmonary_embolism");

        Assert.Empty(drafts.All);
    }

    [Fact]
    public void Build_WithNoSuggestions_DraftsNothing()
    {
        var drafts = new TreatmentCaseBuilder().AllergicToPenicillin().Taking("Furosemide 40 mg tablet", "C03CA01").Draft();

        Assert.Empty(drafts.Plans);
        Assert.Empty(drafts.All);
    }

    [Theory]
    [InlineData("91936005", "Allergy to penicillin")] // by SNOMED CT code
    [InlineData("419199007", "Rash after amoxicillin")] // by keyword in the text
    public void Build_WhenPneumoniaPatientIsAllergicToPenicillin_DraftsLevofloxacinInsteadAndRaisesAnAllergyAlert(string snomed, string display)
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().AllergicTo(snomed, display).Draft("pneumonia");

        var levofloxacin = Assert.Single(drafts.Medications); // the fluoroquinolone replaces beta-lactam and macrolide
        Assert.Equal("Levofloxacin", MedicationName(levofloxacin));
        Assert.Contains(((CodeableConcept)levofloxacin.Medication).Coding, c => c.System == "http://www.nlm.nih.gov/research/umls/rxnorm" && c.Code == "82122");
        var issue = Assert.Single(drafts.Issues);
        Assert.Equal("ALGY", IssueCode(issue));
        Assert.Equal(DetectedIssue.DetectedIssueSeverity.High, issue.Severity);
        Assert.Equal(ObservationStatus.Preliminary, issue.Status);
        Assert.Equal(Reference(levofloxacin), issue.Implicated[0].Reference);
        Assert.Contains(issue.Implicated, r => r.Reference!.StartsWith("AllergyIntolerance/", StringComparison.Ordinal));
        Assert.Contains("penicillins", issue.Detail, StringComparison.Ordinal);
        Assert.Contains("Ampicillin / sulbactam", issue.Detail, StringComparison.Ordinal);
        Assert.Equal("alternative-drafted", MitigationCode(issue));
        Assert.Equal(Reference(issue), Assert.Single(levofloxacin.DetectedIssue).Reference);
        Assert.Equal(TreatmentCaseBuilder.PatientReference, issue.Patient!.Reference);
    }

    [Fact]
    public void Build_WhenTheAlternativeIsAlsoContraindicated_DraftsNeitherAndRaisesAHighAlertOnThePlan()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction()
            .AllergicToPenicillin()
            .AllergicTo("419199007", "Levofloxacin: tendon pain")
            .Draft("pneumonia");

        // No safe beta-lactam substitute in the knowledge base; the macrolide it would have replaced stays.
        Assert.Equal(["Azithromycin"], drafts.Medications.Select(MedicationName));
        var issue = Assert.Single(drafts.Issues);
        Assert.Equal("ALGY", IssueCode(issue));
        Assert.Equal(DetectedIssue.DetectedIssueSeverity.High, issue.Severity);
        Assert.Equal(Reference(drafts.Plans.Single()), issue.Implicated[0].Reference);
        Assert.Equal("not-drafted", MitigationCode(issue));
        Assert.Contains("fluoroquinolones", issue.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WhenMacrolideAllergic_KeepsTheBetaLactamAndSwapsTheMacrolideForDoxycycline()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().AllergicTo("294587007", "Allergy to macrolide").Draft("pneumonia");

        Assert.Equal(["Ampicillin / sulbactam", "Doxycycline"], drafts.Medications.Select(MedicationName));
        Assert.Single(IssuesOn(drafts, Medication(drafts, "cap-doxycycline"), "ALGY"));
    }

    [Fact]
    public void Build_WhenCreatinineClearanceIsBelowTheThreshold_DraftsTheAdjustedDoseAndRaisesADoseIssue()
    {
        // 80-year-old woman, 50 kg, creatinine 200 µmol/L: Cockcroft–Gault about 15.7 mL/min.
        var drafts = new TreatmentCaseBuilder().Aged(80).Female().Weighing(50).SerumCreatinine(200).Draft("pneumonia");

        var ampicillin = Medication(drafts, "cap-ampicillin-sulbactam");
        var dosage = Assert.Single(ampicillin.DosageInstruction);
        Assert.Equal(12m, Repeat(dosage).Period); // 15-29 mL/min: every 12 hours instead of 6
        Assert.Equal(Timing.UnitsOfTime.H, Repeat(dosage).PeriodUnit);
        var issue = Assert.Single(IssuesOn(drafts, ampicillin, "DOSECOND"));
        Assert.Equal(DetectedIssue.DetectedIssueSeverity.Moderate, issue.Severity);
        Assert.Contains("15.7 mL/min", issue.Detail, StringComparison.Ordinal);
        Assert.Equal("dose-adjusted", MitigationCode(issue));
        Assert.Equal(2, issue.Evidence.Single().Detail.Count); // the weight and creatinine observations
        Assert.Equal(Reference(issue), Assert.Single(ampicillin.DetectedIssue).Reference);
        Assert.Empty(Medication(drafts, "cap-azithromycin").DetectedIssue); // not renally adjusted
        Assert.Single(drafts.Issues);
    }

    [Fact]
    public void Build_WhenPenicillinAllergicAndRenallyImpaired_AdjustsTheAlternativesDose()
    {
        var drafts = new TreatmentCaseBuilder().Aged(80).Female().Weighing(50).SerumCreatinine(200).AllergicToPenicillin().Draft("pneumonia");

        var levofloxacin = Medication(drafts, "cap-levofloxacin");
        Assert.Equal([750m, 500m], levofloxacin.DosageInstruction.Select(Dose));
        Assert.Equal(1, Repeat(levofloxacin.DosageInstruction[0]).Count);
        Assert.Equal(48m, Repeat(levofloxacin.DosageInstruction[1]).Period);
        Assert.Equal(["ALGY", "DOSECOND"], levofloxacin.DetectedIssue.Select(r => IssueCode(drafts.Issues.Single(i => Reference(i) == r.Reference))));
    }

    [Fact]
    public void Build_WithNormalRenalFunction_RaisesNoRenalIssue()
    {
        var drafts = new TreatmentCaseBuilder().Aged(40).Weighing(80).SerumCreatinine(80).Draft("pneumonia", "copd_exacerbation");

        Assert.DoesNotContain(drafts.Issues, i => IssueCode(i) == "DOSECOND");
        Assert.Equal(6m, Repeat(Medication(drafts, "cap-ampicillin-sulbactam").DosageInstruction.Single()).Period);
    }

    [Theory]
    [InlineData(false, true, true)] // no weight
    [InlineData(true, false, true)] // no creatinine
    [InlineData(true, true, false)] // no birth date, so no age
    public void Build_WhenCreatinineClearanceCannotBeEstimated_FlagsRenallyClearedDrugsOnly(bool weight, bool creatinine, bool age)
    {
        var patient = new TreatmentCaseBuilder();
        patient = weight ? patient.Weighing(70) : patient;
        patient = creatinine ? patient.SerumCreatinine(90) : patient;
        patient = age ? patient : patient.WithoutBirthDate();

        var drafts = patient.Draft("pneumonia", "heart_failure");

        var issue = Assert.Single(drafts.Issues);
        Assert.Equal("DOSECOND", IssueCode(issue));
        Assert.Equal(DetectedIssue.DetectedIssueSeverity.Low, issue.Severity);
        Assert.StartsWith("Renal function unknown — verify dose", issue.Detail, StringComparison.Ordinal);
        Assert.Equal(Reference(Medication(drafts, "cap-ampicillin-sulbactam")), Assert.Single(issue.Implicated).Reference);
        Assert.Equal(6m, Repeat(Medication(drafts, "cap-ampicillin-sulbactam").DosageInstruction.Single()).Period); // standard dose
        Assert.Equal("flagged-for-review", MitigationCode(issue));
    }

    [Fact]
    public void Build_WhenHeartFailurePatientAlreadyTakesFurosemide_FlagsDuplicateTherapyAndStillDraftsIt()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Taking("Furosemide 40 mg oral tablet", "C03CA01").Draft("heart_failure");

        var furosemide = Medication(drafts, "hf-furosemide-iv");
        var issue = Assert.Single(drafts.Issues);
        Assert.Equal("DUPTHPY", IssueCode(issue));
        Assert.Equal(DetectedIssue.DetectedIssueSeverity.Moderate, issue.Severity);
        Assert.Equal(Reference(furosemide), issue.Implicated[0].Reference);
        Assert.Contains(issue.Implicated, r => r.Reference!.StartsWith("MedicationRequest/r", StringComparison.Ordinal)); // the record's own order
        Assert.Contains("loop diuretics", issue.Detail, StringComparison.Ordinal);
        Assert.Contains("in place of, not in addition to", issue.Detail, StringComparison.Ordinal);
        Assert.Equal("flagged-for-review", MitigationCode(issue));
        Assert.Equal(Reference(issue), Assert.Single(furosemide.DetectedIssue).Reference);
    }

    [Theory]
    [InlineData("Furosemide 40 mg oral tablet", null, MedicationRequest.MedicationrequestStatus.Stopped)] // stopped: not current
    [InlineData("Bisoprolol 5 mg oral tablet", "C07AB07", MedicationRequest.MedicationrequestStatus.Active)] // another class
    public void Build_WhenCurrentMedicationsDoNotDuplicate_RaisesNoDuplicateIssue(string display, string? atc, MedicationRequest.MedicationrequestStatus status)
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Taking(display, atc, status).Draft("heart_failure");

        Assert.Empty(drafts.Issues);
    }

    [Fact]
    public void Build_WhenTheKnowledgeBaseSaysOmit_LeavesTheDuplicateOutAndRaisesTheIssueOnThePlan()
    {
        var json = JsonNode.Parse(File.ReadAllText(TreatmentCaseBuilder.KnowledgeBase.Source))!;
        var furosemide = json["rules"]!.AsArray().SelectMany(r => r!["orders"]!.AsArray()).Single(o => (string?)o!["id"] == "hf-furosemide-iv")!;
        furosemide["onDuplicate"] = "omit";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        var knowledgeBase = TreatmentKnowledgeBase.Parse(stream, "omit-variant");
        var inputs = new TreatmentCaseBuilder().WithNormalRenalFunction().Taking("Furosemide 40 mg oral tablet", "C03CA01").Inputs();

        var drafts = new TreatmentDraftBuilder(knowledgeBase).Build(["heart_failure"], inputs, TreatmentCaseBuilder.Context);

        Assert.Empty(drafts.Medications);
        var issue = Assert.Single(drafts.Issues);
        Assert.Equal("DUPTHPY", IssueCode(issue));
        Assert.Equal(Reference(drafts.Plans.Single()), issue.Implicated[0].Reference);
        Assert.Equal("not-drafted", MitigationCode(issue));
    }

    [Fact]
    public void Build_WhenTwoPlansDraftAntibacterials_FlagsTheSecondAsDuplicateOfTheFirst()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Draft("pneumonia", "copd_exacerbation");

        var amoxicillin = Medication(drafts, "copd-amoxicillin-clav");
        var issue = Assert.Single(IssuesOn(drafts, amoxicillin, "DUPTHPY"));
        Assert.Contains(issue.Implicated, r => r.Reference == Reference(Medication(drafts, "cap-ampicillin-sulbactam")));
        Assert.DoesNotContain(drafts.Issues, i => i.Implicated[0].Reference == Reference(Medication(drafts, "cap-azithromycin"))); // same plan: a combination, not a duplicate
    }

    [Fact]
    public void Build_WhenTwoPlansAskForTheSameService_DraftsItOnceForBothConditions()
    {
        var drafts = new TreatmentCaseBuilder().WithNormalRenalFunction().Draft("heart_failure", "aortic_stenosis");

        var echo = Assert.Single(drafts.Services, s => s.Code!.Coding.Any(c => c.Code == "433236007"));
        Assert.Equal(
            [TreatmentCaseBuilder.Context.ConditionReferences["heart_failure"], TreatmentCaseBuilder.Context.ConditionReferences["aortic_stenosis"]],
            echo.ReasonReference.Select(r => r.Reference));
        Assert.All(drafts.Plans, p => Assert.Contains(p.Action, a => a.Resource!.Reference == Reference(echo)));
    }

    [Fact]
    public void Build_WhenAConditionReferenceIsMissing_GivesTheReasonAsText()
    {
        var context = TreatmentCaseBuilder.Context with { ConditionReferences = new Dictionary<string, string>() };

        var drafts = new TreatmentDraftBuilder(TreatmentCaseBuilder.KnowledgeBase).Build(["aortic_stenosis"], new TreatmentCaseBuilder().Inputs(), context);

        Assert.All(drafts.All.OfType<ServiceRequest>(), s => Assert.False(string.IsNullOrEmpty(Assert.Single(s.ReasonCode).Text)));
        Assert.Empty(drafts.Plans.Single().ReasonReference);
    }

    [Fact]
    public void Build_GivesResourcesThatPassStrictR4Validation_AllAiAssertedWithIdsFromTheInference()
    {
        // Every kind of resource and issue at once: all five plans, an allergy, renal impairment, a duplicate.
        var drafts = new TreatmentCaseBuilder().Aged(80).Female().Weighing(50).SerumCreatinine(200)
            .AllergicToPenicillin()
            .Taking("Furosemide 40 mg oral tablet", "C03CA01")
            .Draft(TreatmentCaseBuilder.Diagnoses);
        Assert.Equal(5, drafts.Plans.Count);
        Assert.Equal(["ALGY", "DOSECOND", "DUPTHPY"], drafts.Issues.Select(i => IssueCode(i)).Distinct().Order());

        var record = new FhirRecord();
        foreach (var resource in drafts.All)
        {
            record.Add(resource);
        }

        var errors = Validator.Validate(record).Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Location}: {e.Message}")));
        Assert.All(drafts.All, r =>
        {
            Assert.Contains(r.Meta!.Security, c => c.System == AssessmentResourceBuilder.AiAssertedSystem && c.Code == AssessmentResourceBuilder.AiAssertedCode);
            Assert.StartsWith(TreatmentCaseBuilder.InferenceId + "-", r.Id, StringComparison.Ordinal);
            Assert.Matches(new Regex("^[A-Za-z0-9.-]{1,64}$"), r.Id);
        });
        Assert.Equal(drafts.All.Count(), drafts.All.Select(r => r.Id).Distinct().Count());
        Assert.All(drafts.Issues, i => Assert.Equal(ObservationStatus.Preliminary, i.Status));
        var all = drafts.All.ToList();
        Assert.Equal(drafts.Plans.Cast<Resource>(), all.Take(drafts.Plans.Count)); // plans first
        Assert.DoesNotContain("Canary", string.Concat(all.Select(r => r.ToJson())), StringComparison.OrdinalIgnoreCase); // the record's patient name
    }

    [Fact]
    public void Build_IsDeterministic()
    {
        var patient = new TreatmentCaseBuilder().Aged(80).Female().Weighing(50).SerumCreatinine(200).AllergicToPenicillin().Taking("Prednisone 5 mg tablet", "H02AB07");
        var inputs = patient.Inputs();
        var builder = new TreatmentDraftBuilder(TreatmentCaseBuilder.KnowledgeBase);

        var first = builder.Build(TreatmentCaseBuilder.Diagnoses, inputs, TreatmentCaseBuilder.Context).All.Select(r => r.ToJson()).ToList();
        var second = builder.Build(TreatmentCaseBuilder.Diagnoses, inputs, TreatmentCaseBuilder.Context).All.Select(r => r.ToJson()).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Build_RefusesAnInferenceIdThatWouldMakeInvalidFhirIds()
    {
        var context = TreatmentCaseBuilder.Context with { InferenceId = new string('a', 40) };

        Assert.Throws<ArgumentException>(() => new TreatmentDraftBuilder(TreatmentCaseBuilder.KnowledgeBase).Build(["pneumonia"], new TreatmentCaseBuilder().Inputs(), context));
    }
}
