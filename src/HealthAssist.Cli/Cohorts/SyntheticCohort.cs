using System.Globalization;
using System.Text;
using HealthAssist.Deidentify;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Cli.Cohorts;

/// <summary>
/// A cohort folder written by <c>healthassist synth</c> (docs/synthetic-cohort.md): <c>labels.csv</c> rows with the
/// truth and the files of each case, <c>bundles/&lt;case&gt;.json</c>, <c>dicom/</c> and <c>audio/</c>.
/// </summary>
public sealed class SyntheticCohort
{
    private SyntheticCohort(string folder, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        Folder = folder;
        Rows = rows;
    }

    public string Folder { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    public static SyntheticCohort Open(string folder)
    {
        var labels = Path.Combine(folder, "labels.csv");
        if (!File.Exists(labels))
        {
            throw new UsageException($"{folder} has no labels.csv; is it a cohort written by `healthassist synth`?");
        }

        var lines = File.ReadAllLines(labels);
        var header = Split(lines[0]);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var fields = Split(line);
            return (IReadOnlyDictionary<string, string>)header.Select((h, i) => (h, v: i < fields.Count ? fields[i] : string.Empty))
                .ToDictionary(p => p.h, p => p.v, StringComparer.Ordinal);
        }).ToList();
        return new SyntheticCohort(folder, rows);
    }

    /// <summary>Whether the case's Consent denies research use (labels.csv mirrors the Consent the generator wrote).</summary>
    public static bool DeniesResearch(IReadOnlyDictionary<string, string> row) => row.GetValueOrDefault("consent_denies_research") == "1";

    public static bool Flag(IReadOnlyDictionary<string, string> row, string column) => row.GetValueOrDefault(column) == "1";

    /// <summary>The case as the pipeline receives it: its FHIR Bundle, radiograph and recordings, at its index time.</summary>
    public CaseInputs Inputs(IReadOnlyDictionary<string, string> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var caseId = row["case_id"];
        var json = File.ReadAllText(Path.Combine(Folder, "bundles", caseId + ".json"));
        var images = string.IsNullOrEmpty(row["image"]) ? [] : new[] { new CaseImage("image 1", File.ReadAllBytes(Path.Combine(Folder, row["image"]))) };
        var recordings = new List<CaseRecording>();
        if (!string.IsNullOrEmpty(row["heart_audio"]))
        {
            recordings.Add(new CaseRecording("heart recording", File.ReadAllBytes(Path.Combine(Folder, row["heart_audio"])), SoundType.Heart, "precordium"));
        }

        if (!string.IsNullOrEmpty(row["lung_audio"]))
        {
            recordings.Add(new CaseRecording("lung recording", File.ReadAllBytes(Path.Combine(Folder, row["lung_audio"])), SoundType.Lung, "chest wall"));
        }

        var indexTime = DateTimeOffset.Parse(row["index_time"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new CaseInputs(json, images, recordings, indexTime);
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
