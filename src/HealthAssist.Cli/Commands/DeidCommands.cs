using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HealthAssist.Deidentify.Audio;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Encode.Registry;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist deid fhir|dicom|audio IN OUT [--report FILE]</c>: files or folders, keys from the deployment secret.
/// Output names never reuse input names (which can hold patient names); the report counts actions per rule and lists
/// quarantined inputs by position and a short hash of their path, never by content.
/// </summary>
internal static class DeidCommands
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var deid = new Command("deid", "De-identify FHIR, DICOM or WAV files (same code as the pipeline)");
        var profile = new Option<FileInfo?>("--profile")
        {
            Description = "FHIR rules: a profile like models/deid/fhir-profile.v1.json (the default), or a Microsoft FHIR anonymizer "
                + "configuration, imported (rules it cannot express are listed in the report; what they named is removed)",
        };
        deid.Subcommands.Add(Sub(context, "fhir", "A Bundle/resource JSON file, or a bulk export folder of NDJSON",
            (c, i, o, s, r) => Fhir(c, i, o, s, r.GetValue(profile)), profile));
        deid.Subcommands.Add(Sub(context, "dicom", "A DICOM file, or a folder of them (recursively)", (c, i, o, s, _) => Dicom(c, i, o, s)));
        deid.Subcommands.Add(Sub(context, "audio", "A WAV file, or a folder of them", (c, i, o, s, _) => Audio(c, i, o, s)));
        return deid;
    }

    private delegate object Run(CliContext context, string input, string output, Security.DeploymentSecret secret, ParseResult result);

    private static Command Sub(CliContext context, string name, string description, Run run, params Option[] extra)
    {
        var input = new Argument<string>("IN") { Description = "Input file or folder" };
        var output = new Argument<string>("OUT") { Description = "Output file or folder (created)" };
        var report = new Option<FileInfo?>("--report") { Description = "Write the action report (JSON) here" };
        var command = new Command(name, description) { input, output, report };
        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var source = Path.GetFullPath(result.GetRequiredValue(input));
            var target = Path.GetFullPath(result.GetRequiredValue(output));
            if (!File.Exists(source) && !Directory.Exists(source))
            {
                throw new UsageException($"{source}: no such file or folder");
            }

            using var keys = context.Environment.LoadKeys();
            var summary = run(context, source, target, keys.DeploymentSecret, result);
            var json = JsonSerializer.Serialize(summary, Indented);
            if (result.GetValue(report) is { } reportFile)
            {
                await File.WriteAllTextAsync(reportFile.FullName, json, cancellationToken);
            }

            await context.Out.WriteLineAsync(CliContext.Json(result) ? json : $"De-identified {name}: report {(result.GetValue(report)?.FullName ?? "(use --report FILE to keep it)")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static object Fhir(CliContext context, string input, string output, Security.DeploymentSecret secret, FileInfo? profileFile)
    {
        var defaultProfile = FhirDeidentificationProfile.Load(
            Path.Combine(ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]), "deid", "fhir-profile.v1.json"));
        var (profile, unsupported) = profileFile is null ? (defaultProfile, []) : LoadProfile(profileFile, defaultProfile);
        if (unsupported.Count > 0)
        {
            context.Error.WriteLine($"{unsupported.Count} rule(s) of the Microsoft configuration were not imported; what they named is removed (see the report)");
        }

        var deidentifier = new FhirDeidentifier(profile, secret);
        if (File.Exists(input))
        {
            var (json, report) = deidentifier.Deidentify(File.ReadAllText(input));
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            File.WriteAllText(output, json, new UTF8Encoding(false));
            return new { profile = profile.Version, unsupportedRules = unsupported, report.ResourcesIn, report.ResourcesOut, report.RemovedResourceTypes, report.Actions };
        }

        var bulkReport = new FhirDeidentificationReport();
        var lines = Directory.EnumerateFiles(input, "*.ndjson").Order(StringComparer.Ordinal).SelectMany(File.ReadLines);
        Directory.CreateDirectory(output);
        foreach (var group in deidentifier.DeidentifyBulk(lines, bulkReport).GroupBy(r => r.Type))
        {
            File.WriteAllLines(Path.Combine(output, $"{group.Key}.ndjson"), group.Select(g => g.Json), new UTF8Encoding(false));
        }

        return new { profile = profile.Version, unsupportedRules = unsupported, bulkReport.ResourcesIn, bulkReport.ResourcesOut, bulkReport.RemovedResourceTypes, bulkReport.Actions };
    }

    private static object Dicom(CliContext context, string input, string output, Security.DeploymentSecret secret)
    {
        var deidentifier = new DicomDeidentifier(secret);
        var files = File.Exists(input) ? [input] : Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var single = File.Exists(input);
        var quarantined = new List<object>();
        var actions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var written = 0;
        if (!single)
        {
            Directory.CreateDirectory(output);
        }

        for (var i = 0; i < files.Count; i++)
        {
            DicomFile parsed;
            try
            {
                parsed = DicomReader.ReadFile(files[i]);
            }
            catch (DicomFormatException ex)
            {
                if (single)
                {
                    throw new UsageException($"input is not readable DICOM: {ex.Message}");
                }

                quarantined.Add(new { input = Label(files[i], i), reason = "not readable: " + ex.Reason });
                continue;
            }

            var result = deidentifier.Deidentify(parsed);
            foreach (var (code, count) in result.Report.ActionCounts)
            {
                actions[code] = actions.GetValueOrDefault(code) + count;
            }

            if (result.Quarantined)
            {
                quarantined.Add(new { input = Label(files[i], i), reason = result.QuarantineReason });
                continue;
            }

            var sop = result.File!.Dataset.GetString(new DicomTag(0x0008, 0x0018)) ?? Label(files[i], i);
            DicomWriter.WriteFile(single ? output : Path.Combine(output, sop + ".dcm"), result.File);
            written++;
        }

        return new { files = files.Count, written, quarantined, actions };
    }

    private static object Audio(CliContext context, string input, string output, Security.DeploymentSecret secret)
    {
        var files = File.Exists(input) ? [input] : Directory.EnumerateFiles(input, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var single = File.Exists(input);
        var dropped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (!single)
        {
            Directory.CreateDirectory(output);
        }

        for (var i = 0; i < files.Count; i++)
        {
            var (wav, report) = AudioDeidentifier.Deidentify(File.ReadAllBytes(files[i]));
            foreach (var chunk in report.DroppedChunks)
            {
                var id = chunk.Split(' ')[0];
                dropped[id] = dropped.GetValueOrDefault(id) + 1;
            }

            var name = "recording-" + Convert.ToHexStringLower(secret.Derive("file-name", Encoding.UTF8.GetBytes(Path.GetFileName(files[i]))))[..12] + ".wav";
            File.WriteAllBytes(single ? output : Path.Combine(output, name), wav);
        }

        return new { files = files.Count, droppedChunks = dropped };
    }

    /// <summary>Our profile format, or a Microsoft anonymizer configuration recognised by its <c>fhirPathRules</c>.</summary>
    private static (FhirDeidentificationProfile Profile, IReadOnlyList<string> Unsupported) LoadProfile(FileInfo file, FhirDeidentificationProfile defaults)
    {
        if (!file.Exists)
        {
            throw new UsageException($"{file.FullName}: no such profile");
        }

        var bytes = File.ReadAllBytes(file.FullName);
        bool microsoft;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            microsoft = MicrosoftAnonymizerImport.IsMicrosoftConfiguration(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{file.Name}: not valid JSON (line {ex.LineNumber})");
        }

        using var stream = new MemoryStream(bytes, writable: false);
        if (!microsoft)
        {
            return (FhirDeidentificationProfile.Parse(stream, file.Name), []);
        }

        var imported = MicrosoftAnonymizerImport.Read(stream, defaults.RestrictedZip3, file.Name);
        return (imported.Profile, imported.Unsupported);
    }

    private static string Label(string path, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"#{index + 1} ({Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..8]})");
}
