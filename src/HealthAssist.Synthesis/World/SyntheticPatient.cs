namespace HealthAssist.Synthesis.World;

/// <summary>The identity the generator gives a patient: realistic PHI-like values for de-identification to remove.</summary>
public sealed record SyntheticIdentity(
    string Given,
    string Family,
    string Mrn,
    string Ssn,
    string Street,
    string City,
    string State,
    string PostalCode,
    string Phone,
    string Email,
    string NextOfKin);

/// <summary>Acute problems of the presentation (the labels) with severity 0–1; 0 means absent.</summary>
public sealed record AcuteConditions(double Pneumonia, double HeartFailure, double CopdExacerbation, double AorticStenosis, double PleuralEffusion)
{
    public bool HasPneumonia => Pneumonia > 0;

    public bool HasHeartFailure => HeartFailure > 0;

    public bool HasCopdExacerbation => CopdExacerbation > 0;

    public bool HasAorticStenosis => AorticStenosis > 0;

    public bool HasPleuralEffusion => PleuralEffusion > 0;

    public bool None => !HasPneumonia && !HasHeartFailure && !HasCopdExacerbation && !HasAorticStenosis && !HasPleuralEffusion;
}

/// <summary>
/// Chronic history. Every condition is on the problem list except COPD, which is often undiagnosed: <see cref="Copd"/> is
/// the true lung disease (it shapes the radiograph, the lung sounds and the risks), <see cref="CopdOnRecord"/> whether the
/// record and the note know it (generator version 3). <see cref="AorticStenosisOnRecord"/>: a known aortic stenosis, on
/// the problem list and in the note's past history alike (half of all stenoses; generator version 4).
/// </summary>
public sealed record Comorbidities(bool Copd, bool HeartFailure, bool Ckd, bool Diabetes, bool Hypertension, bool AtrialFibrillation, bool SyncopeHistory, bool CopdOnRecord, bool AorticStenosisOnRecord);

/// <summary>What happened after the index time (the outcome labels) and when.</summary>
public sealed record Outcomes(bool Death30Days, DateTimeOffset? DeathAt, bool Icu48Hours, DateTimeOffset? IcuAt, bool Readmission30Days, DateTimeOffset? ReadmittedAt, DateTimeOffset DischargeAt)
{
    /// <summary>
    /// The risk model's probabilities the events were drawn from (not written to any cohort file): the best any model could
    /// predict, which evaluations use as the reference ("oracle") for what a head's AUROC can be in a subgroup.
    /// </summary>
    public OutcomeRisks Risks { get; init; } = new(double.NaN, double.NaN, double.NaN);
}

/// <summary>Probabilities of the three outcome events from the generator's logistic risk model.</summary>
public sealed record OutcomeRisks(double Death30Days, double Icu48Hours, double Readmission30Days);


/// <summary>One simulated presentation, with its truth.</summary>
public sealed record SyntheticPatient(
    int Index,
    string CaseId,
    int Seed,
    string Sex,
    DateOnly BirthDate,
    int AgeYears,
    string Race,
    string Ethnicity,
    SyntheticIdentity Identity,
    Comorbidities History,
    AcuteConditions Conditions,
    Outcomes Outcomes,
    DateTimeOffset ArrivalAt,
    DateTimeOffset IndexTime,
    Measurements Measurements,
    ModalityPlan Modalities,
    ConsentPlan Consent,
    bool PenicillinAllergy,
    bool Spo2MeasurementShift);

/// <summary>Vital signs and laboratory values as truly measured (before unit variation in FHIR).</summary>
public sealed record Measurements(
    double HeartRate,
    double RespiratoryRate,
    double Spo2,
    double TemperatureCelsius,
    double Systolic,
    double Diastolic,
    double WeightKg,
    double WeightKgThreeDaysBefore,
    double Wbc,
    double Crp,
    double Procalcitonin,
    double Bnp,
    double Troponin,
    double CreatinineUmol,
    double Lactate,
    double Haemoglobin);

/// <summary>Which inputs the case has and whether any is deliberately degraded.</summary>
public sealed record ModalityPlan(bool Image, bool HeartAudio, bool LungAudio, bool NoisyAudio, bool ClippedAudio, bool LowContrastImage, bool ShortAudio, bool BurnedInText);

/// <summary>What the patient consented to.</summary>
public sealed record ConsentPlan(bool DeniesResearch, bool DeniesAiProcessing);
