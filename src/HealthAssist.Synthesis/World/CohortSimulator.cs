using System.Globalization;
using HealthAssist.Evaluation;

namespace HealthAssist.Synthesis.World;

/// <summary>
/// The simulated world (documented in docs/synthetic-cohort.md): adults presenting with dyspnoea, cough or chest
/// symptoms; chronic history by age; acute conditions with comorbidity-dependent prevalence; measurements, image and
/// sound findings driven by the conditions with noise; outcomes from a logistic risk model. Deterministic per seed:
/// every patient draws from its own generator seeded from (cohort seed, index), so patients can be made in parallel.
/// </summary>
public static class CohortSimulator
{
    public const string Version = "4";

    /// <summary>The subgroup differences this version plants on purpose (docs/synthetic-cohort.md).</summary>
    public static IReadOnlyList<PlantedShift> PlantedShifts { get; } =
    [
        new("age", ["death_30d", "icu_48h", "readmission_30d"],
            "the outcome risk model has age terms and the conditions behind the outcomes differ by age, so even the generator's own risk discriminates differently between age bands"),
    ];
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The per-patient seed: a 32-bit mix of the cohort seed and the index (SplitMix-style).</summary>
    public static int PatientSeed(int cohortSeed, int index)
    {
        var z = ((ulong)(uint)cohortSeed << 32) ^ (uint)index;
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    public static SyntheticPatient Simulate(int cohortSeed, int index)
    {
        var seed = PatientSeed(cohortSeed, index);
        var r = new Draw(seed);

        var sex = r.Chance(0.5) ? "female" : "male";
        var age = (int)Math.Clamp(Math.Round(r.Normal(67, 15)), 18, 98);
        var arrival = Epoch.AddDays(r.Uniform(0, 540)).AddMinutes(Math.Round(r.Uniform(0, 24 * 60)));
        arrival = new DateTimeOffset(arrival.Year, arrival.Month, arrival.Day, arrival.Hour, arrival.Minute, 0, TimeSpan.Zero);
        var birth = DateOnly.FromDateTime(arrival.UtcDateTime).AddYears(-age).AddDays(-(int)r.Uniform(1, 364));
        var race = r.Pick(("White", 0.62), ("Black or African American", 0.14), ("Asian", 0.06), ("American Indian or Alaska Native", 0.01),
            ("Native Hawaiian or Other Pacific Islander", 0.005), ("Other Race", 0.165));
        var ethnicity = r.Chance(0.18) ? "Hispanic or Latino" : "Not Hispanic or Latino";

        var old = age >= 65 ? 1.0 : 0.0;
        var diabetes = r.Chance(0.18 + (0.08 * (age >= 55 ? 1 : 0)));
        var history = new Comorbidities(
            Copd: r.Chance(0.10 + (0.12 * (age >= 60 ? 1 : 0))),
            HeartFailure: r.Chance(0.05 + (0.15 * old)),
            Ckd: r.Chance(0.07 + (0.08 * (age >= 70 ? 1 : 0)) + (0.10 * (diabetes ? 1 : 0))),
            Diabetes: diabetes,
            Hypertension: r.Chance(0.30 + (0.25 * (age >= 55 ? 1 : 0))),
            AtrialFibrillation: r.Chance(0.03 + (0.12 * (age >= 70 ? 1 : 0))),
            SyncopeHistory: false,
            CopdOnRecord: false,
            AorticStenosisOnRecord: false);
        // COPD is often undiagnosed until an exacerbation brings the patient in: on the problem list in half (version 3).
        history = history with { CopdOnRecord = history.Copd && r.Chance(0.50) };

        double Severity() => Math.Round(r.Uniform(0.2, 1.0), 3);
        var aorticStenosis = r.Chance(age < 65 ? 0.02 : age < 80 ? 0.07 : 0.14) ? Severity() : 0;
        history = history with { SyncopeHistory = r.Chance(0.04 + (0.25 * (aorticStenosis > 0 ? 1 : 0))) };
        // Half of stenoses are known (an earlier echocardiogram): the record and the note's past history both say so.
        history = history with { AorticStenosisOnRecord = aorticStenosis > 0 && r.Chance(0.5) };
        var pneumonia = r.Chance(0.30 + (0.08 * (history.Copd ? 1 : 0))) ? Severity() : 0;
        var heartFailure = r.Chance(0.06 + (0.40 * (history.HeartFailure ? 1 : 0)) + (0.05 * (aorticStenosis > 0 ? 1 : 0)) + (0.04 * (history.AtrialFibrillation ? 1 : 0))) ? Severity() : 0;
        var copdExacerbation = history.Copd && r.Chance(0.55) ? Severity() : 0;
        var effusion = r.Chance(0.06 + (0.30 * (heartFailure > 0 ? 1 : 0)) + (0.12 * (pneumonia > 0 ? 1 : 0))) ? Severity() : 0;
        var conditions = new AcuteConditions(pneumonia, heartFailure, copdExacerbation, aorticStenosis, effusion);

        var spo2Shift = race == "Black or African American";
        var measurements = Measure(r, sex, age, history, conditions, out var trueSpo2);
        if (spo2Shift)
        {
            // Documented measurement shift (pulse oximetry over-reads in patients with darker skin): the recorded SpO2
            // is higher than the true saturation, so bias audits have a real subgroup effect to find.
            measurements = measurements with { Spo2 = Math.Min(100, Math.Round(measurements.Spo2 + r.Uniform(1.5, 3.5))) };
        }

        var outcomes = Outcome(r, arrival, age, history, conditions, trueSpo2);
        var modalities = new ModalityPlan(
            Image: r.Chance(0.85),
            HeartAudio: r.Chance(0.80),
            LungAudio: r.Chance(0.80),
            NoisyAudio: r.Chance(0.08),
            ClippedAudio: r.Chance(0.04),
            LowContrastImage: r.Chance(0.06),
            ShortAudio: r.Chance(0.03),
            BurnedInText: r.Chance(0.15));
        var consent = new ConsentPlan(DeniesResearch: r.Chance(0.05), DeniesAiProcessing: r.Chance(0.03));

        return new SyntheticPatient(index, string.Create(CultureInfo.InvariantCulture, $"c{index + 1:D5}"), seed, sex, birth, age, race, ethnicity,
            Identity(r, sex), history, conditions, outcomes, arrival, arrival.AddHours(2), measurements, modalities, consent, r.Chance(0.10), spo2Shift);
    }

    private static Measurements Measure(Draw r, string sex, int age, Comorbidities history, AcuteConditions c, out double trueSpo2)
    {
        var (pn, hf, copd, aS, eff) = (c.Pneumonia, c.HeartFailure, c.CopdExacerbation, c.AorticStenosis, c.PleuralEffusion);
        // Every sign overlaps between the conditions and the other causes of breathlessness that bring people in: no
        // single measurement, and not the record as a whole, separates a condition cleanly. Version 3: a fifth of the
        // patients without pneumonia have another infection (urinary, skin, viral bronchitis) that moves temperature, white
        // cells, CRP, procalcitonin, heart rate and lactate together, as pneumonia does; and pneumonia moves each sign less
        // often (older patients with pneumonia are often afebrile, with a normal white count).
        var otherInfection = pn == 0 && r.Chance(0.20);
        var temperature = 36.8 + (pn > 0 && r.Chance(0.5) ? 0.3 + (1.2 * pn) : 0) + (otherInfection && r.Chance(0.6) ? r.Uniform(0.5, 1.6) : 0)
            + (copd > 0 ? 0.2 : 0) + r.Normal(0, 0.5);
        var heartRate = 80 + (8 * pn) + (8 * hf) + (5 * copd) + (5 * eff) + (otherInfection ? 6 : 0) + (history.AtrialFibrillation ? r.Normal(10, 8) : 0) + r.Normal(0, 12);
        var respiratoryRate = 17 + (3 * pn) + (4 * hf) + (2.5 * copd) + (2 * eff) + r.Normal(0, 3);
        trueSpo2 = Math.Clamp(96.5 - (2.5 * pn) - (3 * hf) - (2 * copd) - (1.5 * eff) - (history.Copd ? 1.5 : 0) + r.Normal(0, 2.5), 70, 100);
        var systolic = 132 + r.Normal(0, 18) - (10 * pn * pn) - (otherInfection ? 5 : 0) + (history.Hypertension ? 12 : 0) - (aS > 0.7 ? 8 : 0);
        var diastolic = (systolic * 0.6) + r.Normal(0, 6);
        var weight = sex == "male" ? r.Normal(84, 15) : r.Normal(72, 14);
        weight = Math.Clamp(weight, 40, 180);
        // Scales differ and clothes weigh something: day-to-day weight varies by about a kilogram in anyone.
        var weightBefore = weight - (hf > 0 ? (1.2 * hf) + r.Normal(0, 1.0) : r.Normal(0, 1.0));

        double LogNormal(double median, double sigma) => Math.Exp(Math.Log(median) + r.Normal(0, sigma));
        var wbc = LogNormal(8, 0.3) + (pn > 0 && r.Chance(0.65) ? 1.5 + (4 * pn * r.Uniform(0.3, 1.3)) : 0) + (copd > 0 ? 1 : 0)
            + (otherInfection && r.Chance(0.7) ? r.Uniform(2, 6) : 0);
        var crp = LogNormal(8, 1.2) + (pn > 0 ? LogNormal(10 + (50 * pn), 1.0) : 0) + (copd > 0 ? LogNormal(15, 0.8) : 0) + (hf > 0 ? LogNormal(8, 0.8) : 0)
            + (otherInfection ? LogNormal(40, 0.8) : 0) + (r.Chance(0.08) ? LogNormal(30, 0.8) : 0);
        var pct = LogNormal(0.06, 0.7) + (pn > 0 && r.Chance(0.5) ? (0.1 + (1.2 * pn)) * LogNormal(1, 0.8) : 0)
            + (otherInfection && r.Chance(0.35) ? r.Uniform(0.1, 0.9) * LogNormal(1, 0.8) : 0);
        // Natriuretic peptides rise with age, renal impairment, AF and chronic heart failure, so they overlap between
        // decompensated and other patients (AUROC about 0.8, not 1).
        var bnp = (LogNormal(70, 0.9) * (1 + (age / 60.0)) * (history.Ckd ? 1.8 : 1)) + (history.AtrialFibrillation ? LogNormal(120, 0.6) : 0)
            + (hf > 0 ? LogNormal(80 + (450 * hf), 0.9) : 0) + (history.HeartFailure ? LogNormal(180, 0.7) : 0) + (aS > 0 ? LogNormal(100 * aS, 0.5) : 0);
        var troponin = LogNormal(6, 0.6) + (hf > 0 ? 10 * hf * r.Uniform(0.2, 1.5) : 0) + (aS > 0 ? 6 * aS : 0);
        var creatinine = LogNormal(80, 0.2) * (history.Ckd ? r.Uniform(1.6, 3.0) : 1) * (1 + (0.2 * hf));
        var lactate = LogNormal(1.1, 0.3) + (pn > 0.7 && r.Chance(0.5) ? 1.5 * r.Uniform(0, 1.5) : 0) + (otherInfection && r.Chance(0.1) ? r.Uniform(0.5, 2) : 0);
        var haemoglobin = (sex == "male" ? 14.3 : 13.0) + r.Normal(0, 1.3) - (history.Ckd ? 1.5 : 0);

        return new Measurements(
            Math.Round(Math.Clamp(heartRate, 35, 190)), Math.Round(Math.Clamp(respiratoryRate, 8, 50)), Math.Round(trueSpo2),
            Math.Round(Math.Clamp(temperature, 34.5, 42), 1), Math.Round(Math.Clamp(systolic, 70, 230)), Math.Round(Math.Clamp(diastolic, 35, 130)),
            Math.Round(weight, 1), Math.Round(weightBefore, 1),
            Math.Round(wbc, 1), Math.Round(crp, 1), Math.Round(pct, 2), Math.Round(bnp), Math.Round(troponin, 1), Math.Round(creatinine),
            Math.Round(lactate, 1), Math.Round(haemoglobin, 1));
    }

    /// <summary>
    /// Outcome risk model (logistic; coefficients in docs/synthetic-cohort.md): age, acute severities, comorbidities and the
    /// true saturation drive 30-day death, 48-hour ICU admission and 30-day readmission.
    /// </summary>
    private static Outcomes Outcome(Draw r, DateTimeOffset arrival, int age, Comorbidities h, AcuteConditions c, double trueSpo2)
    {
        static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
        double B(bool value) => value ? 1 : 0;
        var death = Sigmoid(-4.3 + (0.05 * (age - 65)) + (1.8 * c.Pneumonia) + (1.6 * c.HeartFailure) + (1.0 * c.CopdExacerbation)
            + (0.6 * c.PleuralEffusion) + (1.0 * c.AorticStenosis) + (0.5 * B(h.Ckd)) + (0.3 * B(h.Diabetes)));
        var icu = Sigmoid(-3.0 + (0.015 * (age - 65)) + (1.8 * c.Pneumonia) + (1.5 * c.HeartFailure) + (1.8 * c.CopdExacerbation)
            + (0.06 * Math.Max(0, 92 - trueSpo2)) + (0.3 * c.PleuralEffusion));
        var readmit = Sigmoid(-2.4 + (0.6 * B(h.HeartFailure)) + (0.5 * B(h.Copd)) + (0.4 * B(h.Ckd)) + (0.8 * B(c.HasHeartFailure))
            + (0.4 * B(c.HasCopdExacerbation)) + (0.01 * (age - 65)));

        var died = r.Chance(death);
        var toIcu = r.Chance(icu);
        var deathAt = died ? arrival.AddHours(Math.Round(r.Uniform(12, 30 * 24))) : (DateTimeOffset?)null;
        var icuAt = toIcu ? arrival.AddHours(Math.Round(r.Uniform(2, 47), 1)) : (DateTimeOffset?)null;
        if (deathAt is { } d && icuAt is { } i && i > d)
        {
            icuAt = d.AddHours(-1);
        }

        var stay = Math.Round(r.Uniform(1.5, 9) + (toIcu ? 3 : 0), 1);
        var discharge = arrival.AddDays(stay);
        if (deathAt is { } dead && dead < discharge)
        {
            discharge = dead;
        }

        var readmitted = (deathAt is null || deathAt > discharge.AddDays(2)) && r.Chance(readmit);
        var readmittedAt = readmitted ? discharge.AddDays(Math.Round(r.Uniform(2, 29), 1)) : (DateTimeOffset?)null;
        if (readmittedAt is { } back && deathAt is { } end && back >= end)
        {
            readmitted = false;
            readmittedAt = null;
        }

        // Labels count only events inside their horizon from the index time.
        var index = arrival.AddHours(2);
        return new Outcomes(
            died && deathAt <= index.AddDays(30), deathAt,
            toIcu && icuAt <= index.AddHours(48), icuAt,
            readmitted && readmittedAt <= discharge.AddDays(30), readmittedAt,
            discharge)
        {
            Risks = new OutcomeRisks(death, icu, readmit),
        };
    }

    private static SyntheticIdentity Identity(Draw r, string sex)
    {
        var given = sex == "female" ? r.Pick(NameLists.FemaleGiven) : r.Pick(NameLists.MaleGiven);
        var family = r.Pick(NameLists.Family);
        var place = r.Pick(NameLists.Places);
        var zip = place.Zip3 + r.Next(10, 99).ToString(CultureInfo.InvariantCulture);
        var kin = (r.Chance(0.5) ? r.Pick(NameLists.FemaleGiven) : r.Pick(NameLists.MaleGiven)) + " " + family;
        return new SyntheticIdentity(
            given,
            family,
            Mrn: "MRN" + r.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
            Ssn: string.Create(CultureInfo.InvariantCulture, $"{r.Next(100, 899):D3}-{r.Next(10, 99):D2}-{r.Next(1000, 9999):D4}"),
            Street: $"{r.Next(1, 9999).ToString(CultureInfo.InvariantCulture)} {r.Pick(NameLists.Streets)}",
            City: place.City,
            State: place.State,
            PostalCode: zip,
            Phone: string.Create(CultureInfo.InvariantCulture, $"({r.Next(201, 989)}) {r.Next(200, 999)}-{r.Next(1000, 9999)}"),
            Email: $"{given.ToLowerInvariant()}.{family.ToLowerInvariant()}{r.Next(1, 99).ToString(CultureInfo.InvariantCulture)}@example.net",
            NextOfKin: kin);
    }
}

/// <summary>Random draws from one patient's own generator.</summary>
internal sealed class Draw(int seed)
{
    private readonly Random _random = new(seed);

    public double Uniform(double min, double max) => min + (_random.NextDouble() * (max - min));

    public bool Chance(double p) => _random.NextDouble() < p;

    public int Next(int min, int max) => _random.Next(min, max);

    public int Seed() => _random.Next();

    /// <summary>Box–Muller.</summary>
    public double Normal(double mean, double sd)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return mean + (sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public T Pick<T>(params (T Value, double Weight)[] weighted)
    {
        var x = _random.NextDouble() * weighted.Sum(w => w.Weight);
        foreach (var (value, weight) in weighted)
        {
            if ((x -= weight) <= 0)
            {
                return value;
            }
        }

        return weighted[^1].Value;
    }
}
