using System.Diagnostics;
using System.Text.Json.Nodes;
using HealthAssist.Api.Ehr;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Ingest.Fhir;
using HealthAssist.Security;
using HealthAssist.Ingest.Audio;
using HealthAssist.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HealthAssist.IntegrationTests.Ehr;

/// <summary>
/// Pull mode (<see cref="IEhrCaseSource"/>, registered by <see cref="EhrSetup.AddEhrIntegration"/>) against an
/// in-process test EHR (<see cref="TestEhrServer"/>) and, for images, the real Orthanc that scripts/test.sh starts.
/// Every test also checks that nothing it returns or throws carries the patient id or the planted name.
/// </summary>
public sealed class EhrCaseSourceTests(EhrPacsFixture pacs) : IClassFixture<EhrPacsFixture>
{
    internal static readonly DateTimeOffset IndexTime = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    // ---- The whole case ----

    [Fact]
    public async Task PullAsync_WhenTheEhrSupportsEverything_ReturnsTheRecordTheRadiographAndBothRecordings()
    {
        var patient = EhrTestPatient.Create().WithCtStudy();
        var dicom = await pacs.UploadAsync(patient);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.MaxPageSize = 7;
        await using var host = Host(ehr.FhirBase, pacs.DicomWebAddress);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        var resources = Resources(pulled.Inputs.FhirJson);
        Assert.Equal(patient.ResourceCount, resources.Count);
        Assert.Equal("Patient", EhrTestPatient.Type(resources[0]));
        Assert.Equal(0, ehr.CountRequests("?patient="));
        Assert.True(ehr.CountRequests("/$everything") >= patient.ResourceCount / 7, "every page was fetched");

        var image = Assert.Single(pulled.Inputs.Images);
        Assert.Equal("image 1", image.Label);
        Assert.Equal(dicom, image.Dicom.ToArray());

        Assert.Collection(
            pulled.Inputs.Recordings,
            heart =>
            {
                Assert.Equal(("heart sound 1", SoundType.Heart, "aortic area"), (heart.Label, heart.SoundType, heart.BodySite));
                Assert.Equal(patient.HeartWav, heart.Wav.ToArray());
            },
            lung =>
            {
                Assert.Equal(("lung sound 1", SoundType.Lung, "right lower zone"), (lung.Label, lung.SoundType, lung.BodySite));
                Assert.Equal(patient.LungWav, lung.Wav.ToArray());
            });
        Assert.Equal(IndexTime, pulled.Inputs.IndexTime);
        var warning = Assert.Single(pulled.Warnings);
        Assert.Contains("A CT series", warning, StringComparison.Ordinal);
        AssertNoIdentifiers(patient, pulled.Warnings);

        // The pipeline takes the case as it is: a valid record with one Patient, every input de-identified.
        Assert.True(FhirRecordReader.ReadJson(pulled.Inputs.FhirJson).IsValid);
        var profile = FhirDeidentificationProfile.Load(Path.Combine(RepositoryRoot.Path, "models", "deid", "fhir-profile.v1.json"));
        var deidentified = new CaseDeidentifier(profile, DeploymentSecret.Generate()).Deidentify(pulled.Inputs);
        Assert.Empty(deidentified.Rejected);
        Assert.Equal((1, 2), (deidentified.Images.Count, deidentified.Recordings.Count));
    }

    [Fact]
    public async Task PullAsync_WhenTheImagingStudyListsNoSeries_FindsTheRadiographThroughQido()
    {
        var patient = EhrTestPatient.Create().WithImagingStudyListingNoSeries();
        var dicom = await pacs.UploadAsync(patient);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase, pacs.DicomWebAddress);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        var image = Assert.Single(pulled.Inputs.Images);
        Assert.Equal("image 1", image.Label);
        Assert.Equal(dicom, image.Dicom.ToArray());
        Assert.Empty(pulled.Warnings);
    }

    [Fact]
    public async Task PullAsync_AudioMedia_AreHeartOrLungByCodesOrByTheirWordsAndOtherwiseSkipped()
    {
        var patient = EhrTestPatient.Create()
            .WithAudioDescribedInANote("by-note", "note-wav", "left sternal border", "Heart sounds recorded with the bell")
            .WithAudioDescribedInANote("unclear", "unclear-wav", "left sternal border", "Recorded after the ward round");
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        Assert.Equal(
            [("heart sound 1", SoundType.Heart, "aortic area"), ("lung sound 1", SoundType.Lung, "right lower zone"), ("heart sound 2", SoundType.Heart, "left sternal border")],
            pulled.Inputs.Recordings.Select(r => (r.Label, r.SoundType, r.BodySite)));
        Assert.Contains("Audio recording 4 of the record does not say whether it is a heart or a lung recording; it was skipped.", pulled.Warnings);
        Assert.Equal(0, ehr.CountRequests("/Binary/unclear-wav"));
    }

    // ---- The record ----

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    [InlineData(501)]
    public async Task PullRecordAsync_WhenEverythingIsNotSupported_ReadsThePatientAndSearchesEachType(int status)
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.EverythingUnsupportedStatus = status;
        await using var host = Host(ehr.FhirBase);

        var json = await Source(host).PullRecordAsync(patient.PatientId, CancellationToken.None);

        var bundle = JsonNode.Parse(json)!.AsObject();
        Assert.Equal("Bundle", bundle["resourceType"]!.GetValue<string>());
        Assert.Equal("collection", bundle["type"]!.GetValue<string>());
        var resources = Resources(json);
        Assert.Equal("Patient", EhrTestPatient.Type(resources[0]));
        Assert.Equal(Keys(patient.Resources), Keys(resources));
        Assert.DoesNotContain(resources, r => EhrTestPatient.Type(r) == "OperationOutcome");
        Assert.Equal(1, ehr.Requests.Count(r => r == $"/fhir/Patient/{patient.PatientId}"));
        foreach (var type in new[] { "Condition", "Observation", "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Consent", "DocumentReference", "ImagingStudy", "Media", "Encounter" })
        {
            Assert.Equal(1, ehr.Requests.Count(r => r.StartsWith($"/fhir/{type}?patient={patient.PatientId}&", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task PullRecordAsync_WhenEveryAnswerIsPaged_FollowsEveryNextLink()
    {
        var patient = EhrTestPatient.Create().WithExtraObservations(25);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.EverythingUnsupportedStatus = 404;
        ehr.Behaviour.MaxPageSize = 4;
        await using var host = Host(ehr.FhirBase);

        var json = await Source(host).PullRecordAsync(patient.PatientId, CancellationToken.None);

        Assert.Equal(Keys(patient.Resources), Keys(Resources(json)));
        var observations = patient.Count("Observation");
        Assert.True(observations > 25);
        Assert.Equal((observations + 3) / 4, ehr.Requests.Count(r => r.StartsWith("/fhir/Observation?", StringComparison.Ordinal)));
        Assert.Contains(ehr.Requests, r => r.StartsWith("/fhir/Observation?", StringComparison.Ordinal) && r.Contains("_offset=24", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PullAsync_WhenTheRecordHasMoreThanMaxRecordResources_CutsItThereWithAWarning()
    {
        var patient = EhrTestPatient.Create().WithExtraObservations(40);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.MaxPageSize = 10;
        await using var host = Host(ehr.FhirBase, settings: s => s["Ehr:MaxRecordResources"] = "25");

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        var resources = Resources(pulled.Inputs.FhirJson);
        Assert.Equal(25, resources.Count);
        Assert.Equal("Patient", EhrTestPatient.Type(resources[0]));
        Assert.Equal(3, ehr.CountRequests("/$everything")); // paging stops once full
        Assert.Contains(pulled.Warnings, w => w.Contains("cut at 25 resources", StringComparison.Ordinal));
        AssertNoIdentifiers(patient, pulled.Warnings);
    }

    [Fact]
    public async Task PullAsync_WhenANextLinkLeadsOffTheEhr_StopsPagingThereWithAWarning()
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.MaxPageSize = 5;
        ehr.Behaviour.NextLinkOverride = $"http://127.0.0.2:9/fhir/Patient/{patient.PatientId}/$everything?page=2";
        await using var host = Host(ehr.FhirBase);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        Assert.Equal(5, Resources(pulled.Inputs.FhirJson).Count);
        Assert.Equal(1, ehr.CountRequests("/$everything"));
        Assert.Contains(pulled.Warnings, w => w.Contains("leads off its FHIR server", StringComparison.Ordinal));
        AssertNoIdentifiers(patient, pulled.Warnings);
    }

    // ---- Failures of the record ----

    [Theory]
    [InlineData(null)]
    [InlineData(404)]
    public async Task PullAsync_ForAPatientTheEhrDoesNotHave_ThrowsNotFound(int? everythingUnsupported)
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.EverythingUnsupportedStatus = everythingUnsupported;
        await using var host = Host(ehr.FhirBase);

        var error = await Assert.ThrowsAsync<EhrPatientNotFoundException>(() => Source(host).PullAsync("pt-NO-SUCH-4711", IndexTime, CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.DoesNotContain("NO-SUCH", error.ToString(), StringComparison.Ordinal);
        AssertNoIdentifiers(patient, [error.ToString()]);
    }

    [Fact]
    public async Task PullAsync_WhenTheEhrAnswers503EveryTime_ThrowsUnavailableAfterTheRetries()
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.FailEveryRequestWith = 503;
        await using var host = Host(ehr.FhirBase);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EhrUnavailableException>(() => Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(1 + 2, ehr.Requests.Count); // the first attempt and Ehr:MaxRetryAttempts retries
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        AssertNoIdentifiers(patient, [error.ToString()]);
    }

    [Fact]
    public async Task PullAsync_WhenTheEhrDoesNotAnswer_ThrowsGatewayTimeoutWithinTheDeadline()
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.Delay = TimeSpan.FromSeconds(30);
        await using var host = Host(ehr.FhirBase, settings: s =>
        {
            s["Ehr:Timeout"] = "00:00:01";
            s["Ehr:AttemptTimeout"] = "00:00:00.300";
        });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<EhrUnavailableException>(() => Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None));

        Assert.Equal(504, error.StatusCode);
        Assert.Equal("The EHR FHIR server did not answer in time.", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        AssertNoIdentifiers(patient, [error.ToString()]);
    }

    [Fact]
    public async Task PullAsync_WhenNothingListensAtTheEhrAddress_ThrowsBadGateway()
    {
        Uri closed;
        await using (var gone = await TestEhrServer.StartAsync())
        {
            closed = gone.FhirBase;
        }

        await using var host = Host(closed);

        var error = await Assert.ThrowsAsync<EhrUnavailableException>(() => Source(host).PullRecordAsync("pt-4711", CancellationToken.None));

        Assert.Equal(502, error.StatusCode);
        Assert.DoesNotContain("pt-4711", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Doe^Jane")]
    [InlineData("../Patient/x")]
    [InlineData("x?_id=y")]
    public async Task PullAsync_WithAnIdThatIsNotAFhirId_IsRefusedBeforeAnyCall(string id)
    {
        await using var ehr = await TestEhrServer.StartAsync();
        await using var host = Host(ehr.FhirBase);

        var error = await Assert.ThrowsAsync<InvalidInputException>(() => Source(host).PullAsync(id, IndexTime, CancellationToken.None));

        Assert.Equal(400, error.StatusCode);
        Assert.Empty(ehr.Requests);
        if (id.Length > 0)
        {
            Assert.DoesNotContain(id, error.Message, StringComparison.Ordinal);
        }
    }

    // ---- Failures of single inputs ----

    [Fact]
    public async Task PullAsync_WhenABinaryIsMissing_WarnsAndGoesOnWithTheOtherRecording()
    {
        var patient = EhrTestPatient.Create().WithoutBinary(EhrTestPatient.HeartBinaryId);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase); // and no PACS configured

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        var lung = Assert.Single(pulled.Inputs.Recordings);
        Assert.Equal("lung sound 1", lung.Label);
        Assert.Equal(patient.LungWav, lung.Wav.ToArray());
        Assert.Empty(pulled.Inputs.Images);
        Assert.Contains("heart sound 1 could not be retrieved from the EHR (not found).", pulled.Warnings);
        Assert.Contains(pulled.Warnings, w => w == "The record has 1 imaging study but no PACS is configured (DicomWeb:BaseAddress); no image was retrieved.");
        AssertNoIdentifiers(patient, pulled.Warnings);
    }

    [Fact]
    public async Task PullAsync_WhenTheRadiographIsNotInThePacs_WarnsAndGoesOnWithTheRecordings()
    {
        var patient = EhrTestPatient.Create(); // its radiograph is never uploaded
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase, pacs.DicomWebAddress);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        Assert.Empty(pulled.Inputs.Images);
        Assert.Equal(2, pulled.Inputs.Recordings.Count);
        Assert.Equal(["image 1 could not be retrieved from the PACS (not found)."], pulled.Warnings);
    }

    [Fact]
    public async Task PullAsync_RecordingsAsBinaryJsonInlineDataOrOffTheServer_AreReadOrRefused()
    {
        var patient = EhrTestPatient.Create()
            .WithBinaryAsFhirJson(EhrTestPatient.LungBinaryId)
            .WithLungRecordingAt("elsewhere", "https://files.example.org/lung.wav")
            .WithoutBinary(EhrTestPatient.HeartBinaryId);
        patient.WithInlineHeartRecording(patient.HeartWav);
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase);

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        Assert.Equal(["lung sound 1", "heart sound 2"], pulled.Inputs.Recordings.Select(r => r.Label));
        Assert.Equal(patient.LungWav, pulled.Inputs.Recordings[0].Wav.ToArray());
        Assert.Equal(patient.HeartWav, pulled.Inputs.Recordings[1].Wav.ToArray());
        Assert.Equal("mitral area", pulled.Inputs.Recordings[1].BodySite);
        Assert.Contains("heart sound 1 could not be retrieved from the EHR (not found).", pulled.Warnings);
        Assert.Contains("lung sound 2 is stored outside the EHR FHIR server; it was not fetched.", pulled.Warnings);
        Assert.Equal(0, ehr.CountRequests("lung.wav"));
        AssertNoIdentifiers(patient, pulled.Warnings);
    }

    [Fact]
    public async Task PullAsync_WithMoreRecordingsThanMaxRecordings_FetchesTheFirstAndWarnsAboutTheRest()
    {
        var patient = EhrTestPatient.Create();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        await using var host = Host(ehr.FhirBase, settings: s => s["Ehr:MaxRecordings"] = "1");

        var pulled = await Source(host).PullAsync(patient.PatientId, IndexTime, CancellationToken.None);

        Assert.Equal("heart sound 1", Assert.Single(pulled.Inputs.Recordings).Label);
        Assert.Contains("1 further recording(s) were not retrieved (Ehr:MaxRecordings is 1).", pulled.Warnings);
        Assert.Equal(0, ehr.CountRequests($"/Binary/{EhrTestPatient.LungBinaryId}"));
    }

    // ---- Logs ----

    [Fact]
    public async Task Pulls_SucceedingOrFailing_NeverLogThePatientIdNameOrImageUids()
    {
        var patient = EhrTestPatient.Create().WithoutBinary(EhrTestPatient.HeartBinaryId);
        await pacs.UploadAsync(patient);
        var logs = new LogCapture();
        await using var ehr = await TestEhrServer.StartAsync(patient);
        ehr.Behaviour.EverythingUnsupportedStatus = 404;
        await using var host = Host(ehr.FhirBase, pacs.DicomWebAddress, logs: logs);
        var source = Source(host);

        var pulled = await source.PullAsync(patient.PatientId, IndexTime, CancellationToken.None);
        ehr.Behaviour.FailEveryRequestWith = 503;
        await Assert.ThrowsAsync<EhrUnavailableException>(() => source.PullAsync(patient.PatientId, IndexTime, CancellationToken.None));

        Assert.Single(pulled.Inputs.Images); // the PACS was called
        Assert.Contains("Observation?patient={id}", logs.All, StringComparison.Ordinal); // calls were logged, by route
        Assert.Contains("heart sound 1", logs.All, StringComparison.Ordinal); // and the warnings
        AssertNoIdentifiers(patient, [logs.All]);
    }

    // ---- Registration and options ----

    [Fact]
    public async Task AddEhrIntegration_WithoutFhirBaseUrl_RegistersASourceThatRefusesWithNotConfigured()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.AddEhrIntegration();
        await using var host = builder.Build();

        var error = await Assert.ThrowsAsync<EhrNotConfiguredException>(() => Source(host).PullRecordAsync("pt-1", CancellationToken.None));

        Assert.Equal(501, error.StatusCode);
        Assert.Contains("Ehr:FhirBaseUrl", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<InvalidOperationException>(error);
    }

    [Theory]
    [InlineData("https://ehr.example.org/fhir/r4", true)]
    [InlineData("http://127.0.0.1:8080/fhir", true)]
    [InlineData("http://localhost/fhir/", true)]
    [InlineData("http://ehr.example.org/fhir", false)]
    [InlineData("https://user:secret@ehr.example.org/fhir", false)]
    [InlineData("https://ehr.example.org/fhir?tenant=1", false)]
    [InlineData("ftp://ehr.example.org/fhir", false)]
    public async Task Options_FhirBaseUrl_MustBeHttpsOrLoopbackHttp_CheckedOnStart(string url, bool valid)
    {
        await using var host = Host(new Uri(url));
        var validator = host.Services.GetRequiredService<IStartupValidator>();

        if (valid)
        {
            validator.Validate();
            Assert.Equal(new Uri(url), host.Services.GetRequiredService<IOptions<EhrOptions>>().Value.FhirBaseUrl);
        }
        else
        {
            Assert.Contains("Ehr:FhirBaseUrl must be an absolute https address", StartupFailure(validator), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Options_AttemptTimeoutNotShorterThanTimeout_FailOnStart()
    {
        await using var host = Host(new Uri("https://ehr.example.org/fhir"), settings: s => s["Ehr:AttemptTimeout"] = "00:00:05");

        var failure = StartupFailure(host.Services.GetRequiredService<IStartupValidator>());

        Assert.Contains("Ehr:AttemptTimeout must be shorter than Ehr:Timeout.", failure, StringComparison.Ordinal);
    }

    // ---- Helpers ----

    /// <summary>A host with pull mode configured as in production, with short deadlines and quick retries.</summary>
    internal static WebApplication Host(
        Uri fhirBase, Uri? dicomWeb = null, Action<Dictionary<string, string?>>? settings = null, LogCapture? logs = null, Action<IServiceCollection>? services = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Ehr:FhirBaseUrl"] = fhirBase.OriginalString,
            ["Ehr:Timeout"] = "00:00:04",
            ["Ehr:AttemptTimeout"] = "00:00:02",
            ["Ehr:MaxRetryAttempts"] = "2",
            ["Ehr:RetryBaseDelay"] = "00:00:00.010",
        };
        if (dicomWeb is not null)
        {
            values["DicomWeb:BaseAddress"] = dicomWeb.AbsoluteUri;
            values["DicomWeb:Timeout"] = "00:00:10";
            values["DicomWeb:AttemptTimeout"] = "00:00:05";
            values["DicomWeb:RetryBaseDelay"] = "00:00:00.010";
        }

        if (logs is not null)
        {
            values["Logging:LogLevel:Default"] = "Trace";
        }

        settings?.Invoke(values);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        }

        services?.Invoke(builder.Services);
        builder.AddEhrIntegration();
        return builder.Build();
    }

    /// <summary>What start-up validation says: the messages of the option failures it gathers.</summary>
    private static string StartupFailure(IStartupValidator validator)
    {
        var error = Assert.ThrowsAny<Exception>(validator.Validate);
        var failures = error is AggregateException all ? all.InnerExceptions : [error];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        return string.Join('\n', failures.Select(f => f.Message));
    }

    internal static IEhrCaseSource Source(WebApplication host) => host.Services.GetRequiredService<IEhrCaseSource>();

    private static List<JsonObject> Resources(string bundleJson) =>
        [.. JsonNode.Parse(bundleJson)!["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject())];

    private static List<string> Keys(IEnumerable<JsonObject> resources) =>
        [.. resources.Select(r => $"{EhrTestPatient.Type(r)}/{r["id"]}").Order(StringComparer.Ordinal)];

    internal static void AssertNoIdentifiers(EhrTestPatient patient, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(patient.PatientId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(EhrTestPatient.CanaryName, text, StringComparison.Ordinal);
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
            // UIDs name the patient's study in the PACS: as linkable as the id itself.
            Assert.DoesNotContain(patient.Radiograph.Study, text, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.Radiograph.Series, text, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.Radiograph.Sop, text, StringComparison.Ordinal);
        }
    }
}
