using System.Globalization;
using System.Text;
using System.Text.Json;
using HealthAssist.Deidentify;
using HealthAssist.Dicom.IO;
using HealthAssist.Encode.Inputs;
using HealthAssist.Fuse;
using HealthAssist.Ingest.Audio;

namespace HealthAssist.Pipeline;

/// <summary>One head: the probability the audit entry recorded and the one the replay computed.</summary>
public sealed record ReplayedHead(string Label, double Recorded, double Replayed)
{
    public double Difference => Math.Abs(Recorded - Replayed);
}

/// <summary>What a replay found. Reproduced when the same models ran on every stored input and every head agrees.</summary>
public sealed record ReplayResult(string InferenceId, IReadOnlyList<string> ModelsChanged, IReadOnlyList<string> MissingInputs, IReadOnlyList<ReplayedHead> Heads)
{
    /// <summary>The audit entry keeps probabilities to four decimals.</summary>
    public const double Tolerance = 1e-4;

    public double MaximumDifference => Heads.Count == 0 ? double.NaN : Heads.Max(h => h.Difference);

    public bool Reproduced => ModelsChanged.Count == 0 && MissingInputs.Count == 0 && Heads.Count > 0 && MaximumDifference <= Tolerance;
}

/// <summary>
/// Re-runs a recorded inference from what the record stage kept: the de-identified inputs in the encrypted store (by the
/// SHA-256 in the audit entry) and the shifted index time, through the same input builder and models, and compares each
/// head with the probability the audit entry holds. No identity is needed or touched: everything replayed is
/// de-identified.
/// </summary>
public static class AssessmentReplay
{
    public static ReplayResult Replay(string auditPayload, Func<string, byte[]?> storedInput, ModelInputBuilder builder, MultimodalModel model)
    {
        ArgumentNullException.ThrowIfNull(storedInput);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(model);
        using var payload = JsonDocument.Parse(auditPayload);
        var root = payload.RootElement;
        var inferenceId = root.GetProperty("inferenceId").GetString() ?? string.Empty;

        var served = model.Models.Select(m => m.Sha256).ToHashSet(StringComparer.Ordinal);
        var changed = root.GetProperty("models").EnumerateArray()
            .Where(m => !served.Contains(m.GetProperty("sha256").GetString() ?? string.Empty))
            .Select(m => $"{m.GetProperty("name").GetString()}@{m.GetProperty("version").GetString()}")
            .ToList();

        string? record = null;
        var images = new List<DeidentifiedImage>();
        var recordings = new List<DeidentifiedRecording>();
        var rejected = new List<RejectedInput>();
        var missing = new List<string>();
        foreach (var input in root.GetProperty("inputs").EnumerateArray())
        {
            var modality = input.GetProperty("modality").GetString()!;
            var label = input.GetProperty("label").GetString()!;
            if (input.GetProperty("deidentifiedSha256").GetString() is not { } hash)
            {
                rejected.Add(new RejectedInput(modality, label, input.GetProperty("rejectedBecause").GetString() ?? "rejected"));
                continue;
            }

            if (storedInput(hash) is not { } bytes)
            {
                missing.Add($"{modality} '{label}'");
                continue;
            }

            switch (modality)
            {
                case "record":
                    record = Encoding.UTF8.GetString(bytes);
                    break;
                case "image":
                    images.Add(new DeidentifiedImage(label, DicomReader.Read(bytes)));
                    break;
                default:
                    recordings.Add(new DeidentifiedRecording(label, bytes, modality == "heart-sound" ? SoundType.Heart : SoundType.Lung, "unspecified"));
                    break;
            }
        }

        if (record is null || missing.Count > 0)
        {
            return new ReplayResult(inferenceId, changed, missing.Count > 0 ? missing : ["record"], []);
        }

        var indexTime = DateTimeOffset.Parse(root.GetProperty("indexTime").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var inputs = builder.Build(record, indexTime, images, recordings, rejected);
        var prediction = model.Predict([inputs], explain: false)[0];
        var recorded = root.GetProperty("outputs").GetProperty("probabilities");
        var heads = prediction is null ? [] : prediction.Heads
            .Where(h => recorded.TryGetProperty(h.Label.Key, out _))
            .Select(h => new ReplayedHead(h.Label.Key, recorded.GetProperty(h.Label.Key).GetDouble(), Math.Round(h.Probability, 4)))
            .ToList();
        return new ReplayResult(inferenceId, changed, [], heads);
    }
}
