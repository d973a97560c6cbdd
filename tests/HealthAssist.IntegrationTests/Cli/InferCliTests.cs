using System.Text.Json;
using HealthAssist.IntegrationTests.Assessments;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Record.Audit;
using HealthAssist.Storage;
using HealthAssist.Storage.Assessments;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace HealthAssist.IntegrationTests.Cli;

/// <summary><c>healthassist infer</c>: the same pipeline as <c>$assess</c>, from files, audited in the configured database.</summary>
public sealed class InferCliTests(SyntheticCases cases) : IClassFixture<SyntheticCases>, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ha-infer-{Guid.NewGuid():N}");
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Infer_PrintsTheResultBundle_AndRecordsOneAuditedAssessment()
    {
        var inputs = cases.Complete();
        var bundle = Write("record.json", System.Text.Encoding.UTF8.GetBytes(inputs.FhirJson));
        var image = Write("image.dcm", inputs.Images[0].Dicom.ToArray());
        var heart = Write("heart.wav", inputs.Recordings.First(r => r.SoundType == HealthAssist.Ingest.Audio.SoundType.Heart).Wav.ToArray());
        var lung = Write("lung.wav", inputs.Recordings.First(r => r.SoundType == HealthAssist.Ingest.Audio.SoundType.Lung).Wav.ToArray());

        var (code, output, error) = await CliTests.RunAsync(Settings(), "--json", "infer", "--bundle", bundle, "--dicom", image,
            "--audio", $"heart@aortic={heart}", "--audio", $"lung={lung}", "--index-time", inputs.IndexTime.ToString("O"));

        Assert.True(code == 0, error);
        var result = new FhirJsonDeserializer().Deserialize<Bundle>(output);
        Assert.Contains(result.Entry, e => e.Resource is RiskAssessment);
        await using var db = _database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentCreate);
        using var payload = JsonDocument.Parse(entry.Payload);
        Assert.Equal("cli", payload.RootElement.GetProperty("channel").GetString());
        Assert.Equal(4, payload.RootElement.GetProperty("inputs").GetArrayLength());
        Assert.Equal(1, await db.Set<StoredAssessment>().CountAsync());
    }

    [Fact]
    public async Task Replay_OfARecordedInference_ReproducesIt_FromTheStoredInputs_AndAStoredInputAlteredOnDiskIsRefused()
    {
        var inputs = cases.Complete(skip: 2);
        var bundle = Write("record.json", System.Text.Encoding.UTF8.GetBytes(inputs.FhirJson));
        var image = Write("image.dcm", inputs.Images[0].Dicom.ToArray());
        var heart = Write("heart.wav", inputs.Recordings.First(r => r.SoundType == HealthAssist.Ingest.Audio.SoundType.Heart).Wav.ToArray());
        var (code, _, error) = await CliTests.RunAsync(Settings(), "infer", "--bundle", bundle, "--dicom", image, "--audio", $"heart={heart}");
        Assert.True(code == 0, error);
        string inferenceId;
        await using (var db = _database.CreateContext())
        {
            inferenceId = (await db.Set<StoredAssessment>().SingleAsync()).InferenceId;
        }

        var (replayed, output, problem) = await CliTests.RunAsync(Settings(), "--json", "assessments", "replay", inferenceId);

        Assert.True(replayed == 0, output + problem);
        using (var result = JsonDocument.Parse(output))
        {
            Assert.True(result.RootElement.GetProperty("reproduced").GetBoolean());
            Assert.Equal(8, result.RootElement.GetProperty("heads").GetArrayLength());
        }

        // Alter one stored (encrypted) input: the store refuses it, so the replay cannot claim to reproduce anything.
        var file = Directory.EnumerateFiles(Path.Combine(_folder, "data", "inputs"), "*.bin", SearchOption.AllDirectories).First();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);

        var (tampered, _, _) = await CliTests.RunAsync(Settings(), "assessments", "replay", inferenceId);

        Assert.NotEqual(0, tampered);
        await using var check = _database.CreateContext();
        var replay = await check.AuditEntries.SingleAsync(e => e.EventType == AuditEventTypes.AssessmentReplay);
        Assert.Contains("\"reproduced\":true", replay.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--audio", "noisy.wav")]
    [InlineData("--index-time", "yesterday")]
    public async Task Infer_WithAMalformedOption_IsAUsageErrorOnOneLine(string option, string value)
    {
        var bundle = Write("record.json", System.Text.Encoding.UTF8.GetBytes(cases.Complete().FhirJson));

        var (code, _, error) = await CliTests.RunAsync(Settings(), "infer", "--bundle", bundle, option, value);

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Infer_OfInvalidFhir_ExitsWith2_AndRecordsNothing()
    {
        var bundle = Write("broken.json", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"soon\"}}]}"u8.ToArray());

        var (code, _, error) = await CliTests.RunAsync(Settings(), "infer", "--bundle", bundle);

        Assert.Equal(2, code);
        Assert.StartsWith("healthassist: ", error, StringComparison.Ordinal);
        await using var db = _database.CreateContext();
        Assert.Equal(0, await db.Set<StoredAssessment>().CountAsync());
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Environment"] = "Development",
        ["HealthAssist:DataDirectory"] = Path.Combine(_folder, "data"),
        ["Storage:Provider"] = "Sqlite",
        ["Storage:ConnectionString"] = _database.ConnectionString,
        ["Keys:GenerateMissing"] = "true",
    };

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }
}
