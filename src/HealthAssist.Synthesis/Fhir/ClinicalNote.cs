using System.Globalization;
using System.Text;
using HealthAssist.Synthesis.World;

namespace HealthAssist.Synthesis.Fhir;

/// <summary>
/// An emergency-department note as clinicians write them: identifiers, dates, ages, places and relatives mixed with the
/// history and examination, so de-identification has real work and a note encoder sees (noisy) clinical signal.
/// </summary>
internal static class ClinicalNote
{
    public static (string Text, List<PlantedPhi> Phi) Write(SyntheticPatient p, string hospital, string clinician, string where)
    {
        var r = new Draw(p.Seed ^ 0x5A17);
        var id = p.Identity;
        var phi = new List<PlantedPhi>();
        string Plant(string type, string value)
        {
            phi.Add(new PlantedPhi(type, value, where));
            return value;
        }

        var days = (int)Math.Round(r.Uniform(1, 6));
        var date = p.ArrivalAt.ToString(r.Chance(0.5) ? "MM/dd/yyyy" : "d MMM yyyy", CultureInfo.InvariantCulture);
        var age = p.AgeYears > 89 ? Plant("age-over-89", p.AgeYears.ToString(CultureInfo.InvariantCulture)) : p.AgeYears.ToString(CultureInfo.InvariantCulture);
        var man = p.Sex == "male";
        var symptoms = new List<string> { "shortness of breath" };
        var exam = new List<string>();
        var c = p.Conditions;
        var h0 = p.History;
        // Words overlap between conditions as they do in real notes: cough, crackles, oedema, wheeze and murmurs are
        // written for other reasons too, and often not written when present (generator version 2). Version 3 writes the
        // pneumonia and COPD-exacerbation findings less often and their look-alikes more often (bronchitis, asthma,
        // cardiac wheeze), and the history only as far as the record knows it (undiagnosed COPD is not in the PMH). Version 4
        // writes what the record knows in the note too: a known aortic stenosis in the PMH, a raised temperature as "febrile".
        if (c.HasPneumonia ? r.Chance(0.75) : r.Chance(0.3 + (h0.Copd ? 0.2 : 0)))
        {
            symptoms.Add(r.Chance(c.HasPneumonia ? 0.45 : h0.Copd ? 0.3 : 0.2) ? "productive cough" : r.Chance(0.5) ? "cough" : "dry cough");
        }

        if (c.HasPneumonia ? r.Chance(0.4) : r.Chance(c.HasHeartFailure ? 0.25 : 0.08))
        {
            exam.Add(c.HasHeartFailure && !c.HasPneumonia ? "bibasal crackles" : r.Chance(0.5) ? "crackles right base" : "bronchial breathing on the left");
        }

        if (p.Measurements.TemperatureCelsius > 38 && r.Chance(0.6))
        {
            symptoms.Add("fevers and rigors");
        }

        // The triage temperature is written in words when it is raised (version 4), as examination findings are.
        if (p.Measurements.TemperatureCelsius >= 38 && r.Chance(0.8))
        {
            exam.Add("febrile");
        }

        if (c.HasHeartFailure ? r.Chance(0.45) : r.Chance(0.08))
        {
            exam.Add("bilateral ankle oedema");
        }

        if (c.HasHeartFailure ? r.Chance(0.4) : r.Chance(0.05))
        {
            symptoms.Add("orthopnoea");
        }

        if (c.HasHeartFailure && r.Chance(0.25))
        {
            exam.Add("raised JVP");
        }

        if (c.HasCopdExacerbation ? r.Chance(0.45) : r.Chance(h0.Copd ? 0.25 : c.HasHeartFailure ? 0.15 : 0.08))
        {
            exam.Add("widespread expiratory wheeze");
        }

        if (c.HasCopdExacerbation ? r.Chance(0.4) : r.Chance(0.12))
        {
            symptoms.Add("increased sputum");
        }

        if (c.HasAorticStenosis ? r.Chance(0.35) : r.Chance(0.05))
        {
            exam.Add(r.Chance(0.5) ? "ejection systolic murmur" : "soft systolic murmur");
        }

        if (c.HasPleuralEffusion ? r.Chance(0.35) : r.Chance(0.05))
        {
            exam.Add("dull percussion note at the base");
        }

        if (r.Chance(0.3))
        {
            symptoms.Add("pleuritic chest pain");
        }

        if (exam.Count == 0)
        {
            exam.Add(r.Chance(0.5) ? "chest clear" : "no focal signs");
        }

        var history = new List<string>();
        var h = p.History;
        if (h.CopdOnRecord)
        {
            history.Add("COPD");
        }

        if (h.HeartFailure)
        {
            history.Add("heart failure");
        }

        if (h.Ckd)
        {
            history.Add("CKD");
        }

        if (h.Diabetes)
        {
            history.Add("type 2 diabetes");
        }

        if (h.Hypertension)
        {
            history.Add("HTN");
        }

        if (h.AtrialFibrillation)
        {
            history.Add("AF");
        }

        if (h.SyncopeHistory)
        {
            history.Add("syncope last year");
        }

        if (h.AorticStenosisOnRecord)
        {
            history.Add(r.Chance(0.5) ? "aortic stenosis" : "known AS on echo");
        }

        var text = new StringBuilder();
        var full = $"{id.Given} {id.Family}";
        Plant("name", id.Given);
        var style = r.Next(0, 3);
        if (style != 1)
        {
            Plant("name", id.Family); // style 1 addresses the patient by given name only
        }

        if (style == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"ED ASSESSMENT - {Plant("name", full).ToUpperInvariant()} ({Plant("mrn", id.Mrn)}) seen {Plant("date", date)} at {Plant("institution", hospital)}.\n");
            text.Append(CultureInfo.InvariantCulture, $"{age} y/o {(man ? "M" : "F")} presenting with {string.Join(", ", symptoms)} x{days}/7.\n");
        }
        else if (style == 1)
        {
            text.Append(CultureInfo.InvariantCulture, $"{id.Given} is a {age} year old {(man ? "man" : "woman")} who came to {Plant("institution", hospital)} on {Plant("date", date)} ");
            text.Append(CultureInfo.InvariantCulture, $"with {days} days of {string.Join(" and ", symptoms)}. MRN {Plant("mrn", id.Mrn)}.\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"pt {id.Family.ToLowerInvariant()}, {id.Given.ToLowerInvariant()} - {age}{(man ? "m" : "f")} - {string.Join("; ", symptoms)} since {days}d. ");
            text.Append(CultureInfo.InvariantCulture, $"seen {Plant("date", date)}, mrn {Plant("mrn", id.Mrn)}.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"PMH: {(history.Count == 0 ? "nil of note" : string.Join(", ", history))}.\n");
        text.Append(CultureInfo.InvariantCulture, $"O/E: {string.Join(", ", exam)}. HR {p.Measurements.HeartRate:0}, RR {p.Measurements.RespiratoryRate:0}, sats {p.Measurements.Spo2:0}% on air.\n");
        if (r.Chance(0.6))
        {
            var relation = r.Pick(["daughter", "son", "wife", "husband", "neighbour"]);
            text.Append(CultureInfo.InvariantCulture, $"Accompanied by {relation} {Plant("name", id.NextOfKin)} (tel {Plant("phone", id.Phone)}).\n");
        }

        if (r.Chance(0.4))
        {
            text.Append(CultureInfo.InvariantCulture, $"Lives at {Plant("address", id.Street)}, {Plant("address", id.City)} {Plant("address", id.PostalCode)}.\n");
        }

        if (r.Chance(0.2))
        {
            text.Append(CultureInfo.InvariantCulture, $"Email for results: {Plant("email", id.Email)}. SSN on file {Plant("ssn", id.Ssn)}.\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Plan: CXR, bloods, reassess. - {Plant("physician", clinician)}");
        return (text.ToString(), phi);
    }
}
