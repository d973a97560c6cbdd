using System.Text;
using HealthAssist.IntegrationTests.Infrastructure;
using HealthAssist.Security;
using HealthAssist.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace HealthAssist.IntegrationTests.Api;

/// <summary>Plants canary identifiers wherever a caller can put them and asserts no log line ever carries them.</summary>
public sealed partial class PhiLoggingTests
{
    private const string CanaryName = "Zaphod-CANARY-Beeblebrox";
    private const string CanaryMrn = "MRN-CANARY-0042";

    [Fact]
    public async Task CanaryIdentifiersInPathsQueriesHeadersAndBodies_NeverReachTheLogs()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var officer = factory.ClientAs(Roles.ComplianceOfficer);
        officer.DefaultRequestHeaders.Add("X-Patient-Name", CanaryName);

        await officer.GetAsync($"/api/audit/entries?patient={CanaryMrn}&eventType={CanaryName}");
        await officer.GetAsync($"/fhir/Patient/{CanaryMrn}");
        await officer.PostAsync("/api/audit/exports", new StringContent($"{{\"format\":\"{CanaryName}\",\"patient\":\"{CanaryMrn}\"", Encoding.UTF8, "application/json"));
        await officer.PostAsync("/api/audit/exports", new StringContent($"{{\"format\":\"csv\",\"eventType\":{CanaryName}}}", Encoding.UTF8, "application/json"));
        await factory.CreateClient().GetAsync($"/api/audit/entries?patient={CanaryMrn}");

        Assert.NotEmpty(factory.Logs.Lines);
        Assert.DoesNotContain(CanaryName, factory.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryMrn, factory.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CanaryIdentifiersInPaths_NeverReachTraces()
    {
        var activities = new LockedCollection<System.Diagnostics.Activity>();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database, services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities)));
        var officer = factory.ClientAs(Roles.ComplianceOfficer);

        await officer.GetAsync($"/api/audit/entries?patient={CanaryMrn}&limit=5");
        await officer.GetAsync($"/fhir/Patient/{CanaryMrn}");
        // The server's activity stops just after the response is sent: wait (bounded) for both to be exported.
        string recorded;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
            recorded = string.Join('\n', activities.Snapshot().Select(a => a.DisplayName + " " + string.Join(';', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))));
        }
        while (!(recorded.Contains("/api/audit/entries", StringComparison.Ordinal) && recorded.Contains("(unmatched)", StringComparison.Ordinal))
            && waited.Elapsed < TimeSpan.FromSeconds(10) && await Task.Delay(50).ContinueWith(_ => true));

        Assert.Contains("/api/audit/entries", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryMrn, recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesClassifiedAsPhi_AreErasedBeforeAnyLogProviderSeesThem()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var factory = new HealthAssistFactory(database);
        var logger = factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HealthAssist.Test");

        LogPatientSeen(logger, CanaryName, "psn-abcdefghijklmnopqrstuvwxyz234567");

        var line = Assert.Single(factory.Logs.Lines, l => l.Contains("Patient seen", StringComparison.Ordinal));
        Assert.DoesNotContain(CanaryName, line, StringComparison.Ordinal);
        Assert.Contains("psn-abcdefghijklmnopqrstuvwxyz234567", line, StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patient seen: {PatientName} ({Pseudonym})")]
    private static partial void LogPatientSeen(ILogger logger, [Phi] string patientName, [Pseudonymous] string pseudonym);

    /// <summary>The exporter adds from the server's threads while the test reads.</summary>
    private sealed class LockedCollection<T> : System.Collections.ObjectModel.Collection<T>
    {
        private readonly Lock _lock = new();

        public List<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
