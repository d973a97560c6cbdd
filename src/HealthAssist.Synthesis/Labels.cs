using System.Globalization;
using System.Text;
using HealthAssist.Synthesis.Imaging;
using HealthAssist.Synthesis.World;

namespace HealthAssist.Synthesis;

/// <summary>labels.csv: the truth per case (conditions, severities, outcomes, subgroups, files), kept apart from the FHIR data.</summary>
public static class Labels
{
    public sealed record Row(
        string CaseId, string PatientId, DateTimeOffset IndexTime, SyntheticPatient Patient, RadiographFindings Findings, string? Image, string? HeartAudio, string? LungAudio);

    public static readonly string[] Columns =
    [
        "case_id", "patient_id", "index_time", "pneumonia", "heart_failure", "copd_exacerbation", "aortic_stenosis", "pleural_effusion", "none",
        "pneumonia_severity", "heart_failure_severity", "copd_exacerbation_severity", "aortic_stenosis_severity", "pleural_effusion_severity",
        "death_30d", "icu_48h", "readmission_30d", "age", "sex", "race", "ethnicity", "spo2_measurement_shift",
        "consent_denies_research", "consent_denies_ai", "image", "heart_audio", "lung_audio",
        "degraded_low_contrast", "degraded_noisy_audio", "degraded_clipped_audio", "degraded_short_audio", "burned_in_text",
    ];

    public static Row For(SyntheticPatient p, RadiographFindings findings, string? image, string? heart, string? lung) =>
        new(p.CaseId, "pt-" + p.CaseId, p.IndexTime, p, findings, image, heart, lung);

    public static string Csv(IEnumerable<Row> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder(string.Join(',', Columns)).Append('\n');
        static string B(bool value) => value ? "1" : "0";
        static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
        foreach (var row in rows)
        {
            var p = row.Patient;
            var c = p.Conditions;
            var m = p.Modalities;
            string[] fields =
            [
                row.CaseId, row.PatientId, row.IndexTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                B(c.HasPneumonia), B(c.HasHeartFailure), B(c.HasCopdExacerbation), B(c.HasAorticStenosis), B(c.HasPleuralEffusion), B(c.None),
                F(c.Pneumonia), F(c.HeartFailure), F(c.CopdExacerbation), F(c.AorticStenosis), F(c.PleuralEffusion),
                B(p.Outcomes.Death30Days), B(p.Outcomes.Icu48Hours), B(p.Outcomes.Readmission30Days),
                p.AgeYears.ToString(CultureInfo.InvariantCulture), p.Sex, Quote(p.Race), Quote(p.Ethnicity), B(p.Spo2MeasurementShift),
                B(p.Consent.DeniesResearch), B(p.Consent.DeniesAiProcessing), row.Image ?? string.Empty, row.HeartAudio ?? string.Empty, row.LungAudio ?? string.Empty,
                B(m.Image && m.LowContrastImage), B(m.NoisyAudio && (m.HeartAudio || m.LungAudio)), B(m.ClippedAudio && (m.HeartAudio || m.LungAudio)),
                B(m.ShortAudio && (m.HeartAudio || m.LungAudio)), B(m.Image && m.BurnedInText),
            ];
            text.AppendJoin(',', fields).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
