using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace HealthAssist.IntegrationTests.Ehr;

[CollectionDefinition(nameof(EhrTracingTests), DisableParallelization = true)]
public sealed class EhrTracingRunsAlone;

/// <summary>
/// What pull mode puts in client spans. Alone, after the parallel tests: the runtime's HttpClient activities are global,
/// and another test's tracer provider enriching the same activity concurrently would make the recorded tags depend on
/// which listener ran last.
/// </summary>
[Collection(nameof(EhrTracingTests))]
public sealed class EhrTracingTests(EhrPacsFixture pacs) : IClassFixture<EhrPacsFixture>
{
    [Fact]
    public async Task Pulls_NeverPutThePatientIdOrImageUidsInTraces()
    {
        var patient = EhrTestPatient.Create();
        await pacs.UploadAsync(patient);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.EverythingUnsupportedStatus = 404;
        var activities = new List<Activity>();
        await using var host = EhrCaseSourceTests.Host(ehr.FhirBase, pacs.DicomWebAddress, services: services =>
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddHttpClientInstrumentation().AddInMemoryExporter(activities)));
        var tracer = host.Services.GetRequiredService<TracerProvider>();

        await EhrCaseSourceTests.Source(host).PullAsync(patient.PatientId, EhrCaseSourceTests.IndexTime, CancellationToken.None);
        tracer.ForceFlush();

        var recorded = activities.Select(a => a.DisplayName + " " + string.Join(';', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))).ToList();
        Assert.Contains(recorded, r => r.Contains($"url.full={ehr.FhirBase.AbsoluteUri}Patient/{{id}}/$everything;", StringComparison.Ordinal));
        Assert.Contains(recorded, r => r.Contains("url.template=Binary/{id}", StringComparison.Ordinal));
        Assert.True(recorded.Any(r => r.Contains("url.template=studies/{study}/series/{series}/instances/{instance};", StringComparison.Ordinal)
            && r.Contains("/studies/{study}/series/{series}/instances/{instance};", StringComparison.Ordinal)), string.Join('\n', recorded));
        EhrCaseSourceTests.AssertNoIdentifiers(patient, recorded);
    }
}
