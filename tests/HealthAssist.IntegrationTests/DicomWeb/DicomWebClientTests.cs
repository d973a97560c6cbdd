using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HealthAssist.DicomWeb;
using HealthAssist.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthAssist.IntegrationTests.DicomWeb;

/// <summary>
/// <see cref="DicomWebClient"/> against the real Orthanc (with its DICOMweb plugin) that scripts/test.sh starts on
/// loopback, and against in-process stubs for the failure paths a healthy server cannot produce on demand.
/// </summary>
public sealed class DicomWebClientTests(OrthancFixture orthanc) : IClassFixture<OrthancFixture>
{
    private const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";
    private const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";
    private const string RleLossless = "1.2.840.10008.1.2.5";

    // ---- QIDO-RS ----

    [Fact]
    public async Task SearchStudies_ByStudyInstanceUid_FindsTheUploadedStudy()
    {
        var ct = orthanc.Sample("CT_small.dcm");
        using var services = Services(orthanc.DicomWebAddress);

        var studies = await Client(services).SearchStudiesAsync(new DicomWebQuery().Match("StudyInstanceUID", ct.StudyInstanceUid));

        var study = Assert.Single(studies);
        Assert.Equal(ct.StudyInstanceUid, FirstString(study, "0020000D"));
    }

    [Fact]
    public async Task SearchStudies_ByPatientId_FindsTheUploadedStudyAndNoOther()
    {
        var ct = orthanc.Sample("CT_small.dcm");
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);

        var studies = await client.SearchStudiesAsync(new DicomWebQuery().Match("PatientID", ct.PatientId).Include("PatientName"));
        var none = await client.SearchStudiesAsync(new DicomWebQuery().Match("00100020", "NO-SUCH-PATIENT"));

        var study = Assert.Single(studies);
        Assert.Equal(ct.StudyInstanceUid, FirstString(study, "0020000D"));
        Assert.Equal(ct.PatientId, FirstString(study, "00100020"));
        Assert.Empty(none);
    }

    [Fact]
    public async Task SearchSeriesAndInstances_InTheUploadedStudy_FindTheUploadedInstance()
    {
        var mr = orthanc.Sample("MR_small.dcm");
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);

        var series = await client.SearchSeriesAsync(mr.StudyInstanceUid);
        var inStudy = await client.SearchInstancesAsync(mr.StudyInstanceUid);
        var inSeries = await client.SearchInstancesAsync(mr.StudyInstanceUid, mr.SeriesInstanceUid, new DicomWebQuery().WithLimit(10));

        Assert.Equal(mr.SeriesInstanceUid, FirstString(Assert.Single(series), "0020000E"));
        Assert.Equal(mr.SopInstanceUid, FirstString(Assert.Single(inStudy), "00080018"));
        Assert.Equal(mr.SopInstanceUid, FirstString(Assert.Single(inSeries), "00080018"));
    }

    // ---- WADO-RS ----

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    public async Task RetrieveInstance_StoredAsExplicitVrLittleEndian_ReturnsTheUploadedBytes(string file)
    {
        var sample = orthanc.Sample(file);
        using var services = Services(orthanc.DicomWebAddress);

        var parts = await Client(services).RetrieveInstanceAsync(sample.StudyInstanceUid, sample.SeriesInstanceUid, sample.SopInstanceUid);

        Assert.Equal(sample.Bytes, Assert.Single(parts).ToArray());
    }

    [Fact]
    public async Task RetrieveInstance_ImplicitVrFile_ComesAsStoredWithTransferSyntaxStarAndTranscodedWithout()
    {
        var dose = orthanc.Sample("rtdose.dcm");
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);

        var asStored = await client.RetrieveInstanceAsync(dose.StudyInstanceUid, dose.SeriesInstanceUid, dose.SopInstanceUid, "*");
        var byDefault = await client.RetrieveInstanceAsync(dose.StudyInstanceUid, dose.SeriesInstanceUid, dose.SopInstanceUid);

        Assert.Equal(dose.Bytes, Assert.Single(asStored).ToArray());
        var transcoded = Assert.Single(byDefault).ToArray();
        Assert.NotEqual(dose.Bytes, transcoded);
        Assert.True(transcoded.AsSpan(0, 512).IndexOf(Encoding.ASCII.GetBytes(ExplicitVrLittleEndian + "\0")) > 0, "the default is Explicit VR Little Endian");
    }

    [Fact]
    public async Task RetrieveMetadata_OfAnInstanceAndOfItsStudy_ReturnsTheSopInstanceUid()
    {
        var ct = orthanc.Sample("CT_small.dcm");
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);

        var instance = await client.RetrieveMetadataAsync(ct.StudyInstanceUid, ct.SeriesInstanceUid, ct.SopInstanceUid);
        var study = await client.RetrieveMetadataAsync(ct.StudyInstanceUid);

        Assert.Equal(ct.SopInstanceUid, FirstString(Assert.Single(instance), "00080018"));
        Assert.Equal(ct.SopInstanceUid, FirstString(Assert.Single(study), "00080018"));
        Assert.Equal(128, Assert.Single(instance).GetProperty("00280010").GetProperty("Value")[0].GetInt32());
    }

    [Fact]
    public async Task RetrieveFrames_UncompressedMultiFrame_ReturnsRowsTimesColumnsTimesSamplesTimesBytesPerFrame()
    {
        var dose = orthanc.Sample("rtdose.dcm"); // 15 frames of 10 × 10 × 1 × 32 bits, Implicit VR Little Endian
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);
        var metadata = Assert.Single(await client.RetrieveMetadataAsync(dose.StudyInstanceUid, dose.SeriesInstanceUid, dose.SopInstanceUid));
        var frameBytes = FirstInt(metadata, "00280010") * FirstInt(metadata, "00280011") * FirstInt(metadata, "00280002") * FirstInt(metadata, "00280100") / 8;

        var frames = await client.RetrieveFramesAsync(dose.StudyInstanceUid, dose.SeriesInstanceUid, dose.SopInstanceUid, [1, 2, 15]);

        Assert.Equal(400, frameBytes);
        Assert.Equal([1, 2, 15], frames.Select(f => f.FrameNumber));
        var pixelData = dose.Bytes.AsSpan(dose.Bytes.Length - 15 * frameBytes); // pixel data ends the file
        foreach (var frame in frames)
        {
            Assert.Equal(frameBytes, frame.Data.Length);
            Assert.Equal("application/octet-stream", frame.MediaType);
            Assert.Equal(ImplicitVrLittleEndian, frame.TransferSyntaxUid);
            Assert.True(pixelData.Slice((frame.FrameNumber - 1) * frameBytes, frameBytes).SequenceEqual(frame.Data.Span));
        }
    }

    [Fact]
    public async Task RetrieveFrames_SingleFrameMr_ReturnsRowsTimesColumnsTimesTwoBytes()
    {
        var mr = orthanc.Sample("MR_small.dcm"); // 64 × 64, 16 bits allocated
        using var services = Services(orthanc.DicomWebAddress);

        var frame = Assert.Single(await Client(services).RetrieveFramesAsync(mr.StudyInstanceUid, mr.SeriesInstanceUid, mr.SopInstanceUid, [1]));

        Assert.Equal(64 * 64 * 2, frame.Data.Length);
        Assert.Equal(ExplicitVrLittleEndian, frame.TransferSyntaxUid);
        Assert.True(mr.Bytes.AsSpan().IndexOf(frame.Data.Span) > 0, "the frame is the file's pixel data");
    }

    [Fact]
    public async Task RetrieveFrames_RleFile_ComesEncodedAsStoredAndNativeWhenAskedFor()
    {
        var rle = orthanc.Sample("SC_rgb_rle_2frame.dcm"); // 2 frames of 100 × 100 RGB, 8 bits, RLE Lossless
        using var services = Services(orthanc.DicomWebAddress);
        var client = Client(services);

        var encoded = await client.RetrieveFramesAsync(rle.StudyInstanceUid, rle.SeriesInstanceUid, rle.SopInstanceUid, [1, 2]);
        var native = await client.RetrieveFramesAsync(rle.StudyInstanceUid, rle.SeriesInstanceUid, rle.SopInstanceUid, [1, 2], ExplicitVrLittleEndian);

        Assert.All(encoded, f => Assert.Equal(RleLossless, f.TransferSyntaxUid));
        Assert.All(encoded, f => Assert.Equal("image/dicom-rle", f.MediaType));
        Assert.All(encoded, f => Assert.InRange(f.Data.Length, 64, 100 * 100 * 3 - 1)); // an RLE header (64 bytes) and less than native
        Assert.All(native, f => Assert.Equal(100 * 100 * 3, f.Data.Length));
        Assert.All(native, f => Assert.Equal(ExplicitVrLittleEndian, f.TransferSyntaxUid));
    }

    [Fact]
    public async Task RetrieveInstance_LargerThanMaxResponseBytes_IsRefused()
    {
        var ct = orthanc.Sample("CT_small.dcm"); // 39 206 bytes
        using var services = Services(orthanc.DicomWebAddress, o => o.MaxResponseBytes = 10_000);

        var error = await Assert.ThrowsAsync<DicomWebException>(() =>
            Client(services).RetrieveInstanceAsync(ct.StudyInstanceUid, ct.SeriesInstanceUid, ct.SopInstanceUid));

        Assert.Equal(DicomWebFailure.ResponseTooLarge, error.Failure);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task RetrieveInstance_Unknown_RaisesNotFoundWithThePath()
    {
        var ct = orthanc.Sample("CT_small.dcm");
        using var services = Services(orthanc.DicomWebAddress);

        var error = await Assert.ThrowsAsync<DicomWebException>(() =>
            Client(services).RetrieveInstanceAsync(ct.StudyInstanceUid, ct.SeriesInstanceUid, "1.2.3.4.5.6.7.8.9"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal($"{orthanc.DicomWebAddress.AbsolutePath}studies/{ct.StudyInstanceUid}/series/{ct.SeriesInstanceUid}/instances/1.2.3.4.5.6.7.8.9", error.RequestPath);
    }

    // ---- Input checks ----

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3/../../instances")]
    [InlineData("1.2.3?PatientID=x")]
    [InlineData("1..2")]
    [InlineData(".1.2")]
    [InlineData("1.2.")]
    [InlineData("1.2.840.10008.1.2.1.99999999999999999999999999999999999999999999999")] // longer than 64 characters
    public async Task Retrieve_WithAnInvalidUid_ThrowsBeforeSendingAnything(string uid)
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Json("[]")));
        using var services = Services(StubAddress, primary: stub);
        var client = Client(services);

        await Assert.ThrowsAsync<ArgumentException>(() => client.RetrieveInstanceAsync("1.2.3", "1.2.3.4", uid));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SearchSeriesAsync(uid));
        Assert.Equal(0, stub.Calls);
    }

    [Fact]
    public void Query_WithAnAttributeThatIsNotAKeywordOrTag_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new DicomWebQuery().Match("PatientID&limit", "x"));
        Assert.Throws<ArgumentException>(() => new DicomWebQuery().Include("0010002"));
        new DicomWebQuery().Match("ReferencedSeriesSequence.0020000E", "1.2.3").Include("00100010");
    }

    [Fact]
    public async Task EveryRequest_CarriesItsRouteWithoutUidsOrQueryValues_ForTelemetry()
    {
        var routes = new List<DicomWebRoute>();
        var stub = new StubHandler((request, _, _) =>
        {
            routes.Add(request.Options.TryGetValue(DicomWebClient.RouteOption, out var route) ? route : new DicomWebRoute("(none)", "(none)"));
            return Task.FromResult(Json("[]"));
        });
        using var services = Services(StubAddress, primary: stub);
        var client = Client(services);

        await client.SearchStudiesAsync(new DicomWebQuery().Match("PatientID", "MRN-CANARY-77"));
        await client.SearchInstancesAsync("1.2.840.99.1", "1.2.840.99.2");
        await client.RetrieveMetadataAsync("1.2.840.99.1", "1.2.840.99.2", "1.2.840.99.3");
        await Assert.ThrowsAsync<DicomWebException>(() => client.RetrieveFramesAsync("1.2.840.99.1", "1.2.840.99.2", "1.2.840.99.3", [1, 2]));

        Assert.Equal(
            ["studies?{query}", "studies/{study}/series/{series}/instances", "studies/{study}/series/{series}/instances/{instance}/metadata",
                "studies/{study}/series/{series}/instances/{instance}/frames/{frames}"],
            routes.Select(r => r.Template));
        Assert.All(routes, r => Assert.Equal(StubAddress.AbsoluteUri + r.Template, r.Url));
    }

    [Fact]
    public async Task Requests_AreLoggedByRouteNotByUrl()
    {
        var logs = new LogCapture();
        var stub = new StubHandler((_, _, _) => Task.FromResult(Json("[]")));
        using var services = Services(StubAddress, primary: stub, logging: builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        await Client(services).SearchInstancesAsync("1.2.840.99.1", "1.2.840.99.2");

        Assert.Contains("DICOMweb GET studies/{study}/series/{series}/instances answered", logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("1.2.840.99.1", logs.All, StringComparison.Ordinal);
    }

    // ---- Resilience (in-process stub) ----

    [Fact]
    public async Task Search_WhenTheServerFailsTwiceWith503_RetriesAndSucceeds()
    {
        var stub = new StubHandler((_, call, _) => Task.FromResult(call <= 2 ? Status(HttpStatusCode.ServiceUnavailable) : Json("[{}]")));
        using var services = Services(StubAddress, FastRetries, stub);

        var studies = await Client(services).SearchStudiesAsync();

        Assert.Single(studies);
        Assert.Equal(3, stub.Calls);
    }

    [Fact]
    public async Task Search_WhenTheServerAlwaysFailsWith503_GivesUpAfterTheRetriesWithTheStatus()
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Status(HttpStatusCode.ServiceUnavailable)));
        using var services = Services(StubAddress, FastRetries, stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).SearchStudiesAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1 + 3, stub.Calls);
    }

    [Fact]
    public async Task Search_WhenTheServerAnswers404_DoesNotRetryAndKeepsTheQueryOutOfTheException()
    {
        var stub = new StubHandler((_, _, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                ReasonPhrase = "No study for patient PAT-4711",
                Content = new StringContent("""{"Message":"No study for PAT-4711 Doe^Jane"}""", Encoding.UTF8, "application/json"),
            };
            return Task.FromResult(response);
        });
        using var services = Services(StubAddress, FastRetries, stub);
        var query = new DicomWebQuery().Match("PatientID", "PAT-4711").Match("PatientName", "Doe^Jane");

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).SearchStudiesAsync(query));

        Assert.Equal(1, stub.Calls);
        Assert.Contains("PatientID=PAT-4711", stub.LastRequestUri!.Query, StringComparison.Ordinal); // the query did go out
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(DicomWebFailure.HttpStatus, error.Failure);
        Assert.Equal("/dicom-web/studies", error.RequestPath);
        Assert.Contains("/dicom-web/studies", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("?", error.Message, StringComparison.Ordinal);
        foreach (var secret in new[] { "PatientID", "PatientName", "PAT-4711", "Doe", "Jane", "No study" })
        {
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Search_WithPatientIdentifiersInTheQuery_KeepsThemOutOfEveryLog()
    {
        var capture = new LogCapture();
        var stub = new StubHandler((_, call, _) => Task.FromResult(call switch
        {
            1 => Status(HttpStatusCode.ServiceUnavailable),
            2 => Json("[]"),
            _ => Status(HttpStatusCode.NotFound),
        }));
        using var services = Services(StubAddress, FastRetries, stub, logging => logging.AddProvider(capture).SetMinimumLevel(LogLevel.Trace));
        var query = new DicomWebQuery().Match("PatientID", "PAT-4711").Match("PatientName", "Doe^Jane");

        await Client(services).SearchStudiesAsync(query);
        await Assert.ThrowsAsync<DicomWebException>(() => Client(services).SearchStudiesAsync(query));

        Assert.Contains("DICOMweb GET studies?{query} answered", capture.All, StringComparison.Ordinal); // requests were logged, by route
        Assert.Contains("DICOMweb GET studies?{query} failed (HttpStatus, HTTP 404)", capture.All, StringComparison.Ordinal);
        Assert.DoesNotContain("PAT-4711", capture.All, StringComparison.Ordinal);
        Assert.DoesNotContain("Doe", capture.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ThroughTheSamePipeline_IsNotRetriedWhereAGetIs()
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Status(HttpStatusCode.ServiceUnavailable)));
        using var services = Services(StubAddress, FastRetries, stub);
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DicomWebClient));

        using var post = await http.PostAsync(new Uri(StubAddress, "studies"), new ByteArrayContent([1, 2, 3]));
        var afterPost = stub.Calls;
        using var get = await http.GetAsync(new Uri(StubAddress, "studies"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(1, afterPost);
        Assert.Equal(1 + 4, stub.Calls);
    }

    [Fact]
    public async Task Search_WhenAnAttemptHangs_TimesItOutAndRetries()
    {
        var stub = new StubHandler(async (_, call, token) =>
        {
            if (call == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), token);
            }

            return Json("[]");
        });
        using var services = Services(StubAddress, o => { FastRetries(o); o.AttemptTimeout = TimeSpan.FromMilliseconds(200); }, stub);

        var studies = await Client(services).SearchStudiesAsync();

        Assert.Empty(studies);
        Assert.Equal(2, stub.Calls);
    }

    [Fact]
    public async Task Search_AfterRepeatedFailures_OpensTheCircuitAndStopsCallingTheServer()
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Status(HttpStatusCode.InternalServerError)));
        using var services = Services(StubAddress, o => o.MaxRetryAttempts = 0, stub);
        var client = Client(services);

        for (var i = 0; i < 10; i++)
        {
            var failure = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());
            Assert.Equal(HttpStatusCode.InternalServerError, failure.StatusCode);
        }

        var error = await Assert.ThrowsAsync<DicomWebException>(() => client.SearchStudiesAsync());

        Assert.Equal(DicomWebFailure.CircuitOpen, error.Failure);
        Assert.Equal(10, stub.Calls);
    }

    // ---- Response limits and strict parsing (in-process stub) ----

    [Fact]
    public async Task Search_WhenTheBodyStreamsPastTheLimit_StopsReadingAtTheLimit()
    {
        var body = new EndlessStream();
        var stub = new StubHandler((_, _, _) =>
        {
            var content = new StreamContent(body); // no Content-Length: only reading can tell
            content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom+json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        });
        using var services = Services(StubAddress, o => o.MaxResponseBytes = 1024 * 1024, stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).SearchStudiesAsync());

        Assert.Equal(DicomWebFailure.ResponseTooLarge, error.Failure);
        Assert.InRange(body.BytesServed, 1024 * 1024 + 1, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Retrieve_WhenTheDeclaredLengthIsPastTheLimit_RefusesWithoutReading()
    {
        var body = new EndlessStream();
        var stub = new StubHandler((_, _, _) =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentLength = 10L * 1024 * 1024 * 1024;
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/related; type=\"application/dicom\"; boundary=b");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content });
        });
        using var services = Services(StubAddress, primary: stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).RetrieveInstanceAsync("1.2", "1.2.3", "1.2.3.4"));

        Assert.Equal(DicomWebFailure.ResponseTooLarge, error.Failure);
        Assert.Equal(0, body.BytesServed);
    }

    [Fact]
    public async Task RetrieveInstance_WellFormedMultipartWithPreambleAndEpilogue_ReturnsEachPart()
    {
        const string body = "preamble\r\n--xyz\r\nContent-Type: application/dicom\r\n\r\nDICM-one\r\n--xyz\r\ncontent-type: Application/DICOM; transfer-syntax=1.2.840.10008.1.2.1\r\nContent-Length: 8\r\n\r\nDICM-two\r\n--xyz--\r\nepilogue";
        var stub = new StubHandler((_, _, _) => Task.FromResult(Multipart(body, "multipart/related; type=\"application/dicom\"; boundary=\"xyz\"")));
        using var services = Services(StubAddress, primary: stub);

        var parts = await Client(services).RetrieveInstanceAsync("1.2", "1.2.3", "1.2.3.4");

        Assert.Equal(["DICM-one", "DICM-two"], parts.Select(p => Encoding.ASCII.GetString(p.Span)));
    }

    [Theory]
    [InlineData("--xyz\r\nContent-Type: application/dicom\r\n\r\nPHI-IN-BODY\r\n--xyz", "no closing")] // truncated
    [InlineData("--xyz\r\nContent-Type: application/dicom\r\n\r\nPHI-IN-BODY", "no closing")]
    [InlineData("--xyz\r\nContent-Type: application/dicom\r\nPHI-IN-BODY", "missing their end")]
    [InlineData("--xyz\r\nX-Other: 1\r\n\r\nPHI-IN-BODY\r\n--xyz--", "no Content-Type")]
    [InlineData("--xyz\r\nContent-Type: text/plain\r\n\r\nPHI-IN-BODY\r\n--xyz--", "not application/dicom")]
    [InlineData("--xyz\r\nContent-Type: application/dicom\r\nContent-Length: 3\r\n\r\nPHI-IN-BODY\r\n--xyz--", "Content-Length")]
    [InlineData("--xyz\r\nContent-Type: application/dicom\r\n folded: header\r\n\r\nPHI-IN-BODY\r\n--xyz--", "malformed header")]
    [InlineData("--xyzPHI-IN-BODY\r\n--xyz--", "CRLF")]
    [InlineData("--xyz--", "no parts")]
    [InlineData("PHI-IN-BODY", "no boundary delimiter")]
    public async Task RetrieveInstance_MalformedMultipart_IsRefusedWithoutEchoingTheBody(string body, string reason)
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Multipart(body, "multipart/related; type=\"application/dicom\"; boundary=xyz")));
        using var services = Services(StubAddress, primary: stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).RetrieveInstanceAsync("1.2", "1.2.3", "1.2.3.4"));

        Assert.Equal(DicomWebFailure.InvalidResponse, error.Failure);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PHI-IN-BODY", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("multipart/related; type=\"text/plain\"; boundary=xyz", "not application/dicom")]
    [InlineData("multipart/related; type=\"no media type\"; boundary=xyz", "type parameter")]
    [InlineData("multipart/mixed; boundary=xyz", "not multipart/related")]
    [InlineData("multipart/related; type=\"application/dicom\"", "no boundary")]
    [InlineData("application/dicom", "not multipart/related")]
    public async Task RetrieveInstance_WrongMessageContentType_IsRefused(string contentType, string reason)
    {
        const string body = "--xyz\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--xyz--\r\n";
        var stub = new StubHandler((_, _, _) => Task.FromResult(Multipart(body, contentType)));
        using var services = Services(StubAddress, primary: stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).RetrieveInstanceAsync("1.2", "1.2.3", "1.2.3.4"));

        Assert.Equal(DicomWebFailure.InvalidResponse, error.Failure);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_InvalidJson_IsRefusedWithoutEchoingTheBody()
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(Json("[{\"PHI-IN-BODY\" oops")));
        using var services = Services(StubAddress, primary: stub);

        var error = await Assert.ThrowsAsync<DicomWebException>(() => Client(services).SearchStudiesAsync());

        Assert.Equal(DicomWebFailure.InvalidResponse, error.Failure);
        Assert.DoesNotContain("PHI-IN-BODY", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("oops", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithoutBaseAddressOrWithAnAttemptLongerThanTheCall_FailValidation()
    {
        using var missing = Services(null!);
        using var inverted = Services(StubAddress, o => o.AttemptTimeout = o.Timeout + TimeSpan.FromSeconds(1));

        var noAddress = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Client(missing));
        var tooLong = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Client(inverted));

        Assert.Contains("BaseAddress", noAddress.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptTimeout", tooLong.Message, StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private static readonly Uri StubAddress = new("http://dicomweb.invalid/dicom-web/");

    private static void FastRetries(DicomWebOptions options) => options.RetryBaseDelay = TimeSpan.FromMilliseconds(5);

    private static ServiceProvider Services(
        Uri baseAddress, Action<DicomWebOptions>? configure = null, HttpMessageHandler? primary = null, Action<ILoggingBuilder>? logging = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => logging?.Invoke(builder));
        var builder = services.AddDicomWebClient(options =>
        {
            options.BaseAddress = baseAddress;
            configure?.Invoke(options);
        });
        if (primary is not null)
        {
            builder.ConfigurePrimaryHttpMessageHandler(() => primary);
        }

        return services.BuildServiceProvider();
    }

    private static DicomWebClient Client(ServiceProvider services) => services.GetRequiredService<DicomWebClient>();

    private static string? FirstString(JsonElement dataset, string tag) => dataset.GetProperty(tag).GetProperty("Value")[0].GetString();

    private static int FirstInt(JsonElement dataset, string tag) => dataset.GetProperty(tag).GetProperty("Value")[0].GetInt32();

    private static HttpResponseMessage Status(HttpStatusCode status) => new(status) { Content = new StringContent("failure body") };

    private static HttpResponseMessage Json(string json) =>
        new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/dicom+json") };

    private static HttpResponseMessage Multipart(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>The primary handler: answers every request with <c>respond(request, callNumber, token)</c>.</summary>
    private sealed class StubHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Uri? LastRequestUri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastRequestUri = request.RequestUri;
            return respond(request, Interlocked.Increment(ref _calls), cancellationToken);
        }
    }

    /// <summary>A body that never ends and counts what was read from it.</summary>
    private sealed class EndlessStream : Stream
    {
        private long _served;

        public long BytesServed => Interlocked.Read(ref _served);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            Interlocked.Add(ref _served, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>One uploaded sample: its bytes and the identifiers Orthanc indexed it under.</summary>
public sealed record OrthancSample(string FileName, byte[] Bytes, string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid, string PatientId);

/// <summary>
/// The Orthanc that scripts/test.sh starts (HEALTHASSIST_TEST_ORTHANC), loaded with public sample files from
/// ../shared/data/dicom/pydicom through Orthanc's own REST API, not through the client under test. An unset variable is a
/// failure, never a skip.
/// </summary>
public sealed class OrthancFixture : IAsyncLifetime
{
    public const string OrthancVariable = "HEALTHASSIST_TEST_ORTHANC";

    private static readonly string[] SampleFiles = ["CT_small.dcm", "MR_small.dcm", "rtdose.dcm", "SC_rgb_rle_2frame.dcm"];
    private readonly Dictionary<string, OrthancSample> _samples = new(StringComparer.Ordinal);
    private readonly HttpClient _rest = new();

    public Uri OrthancAddress { get; private set; } = null!;

    /// <summary>The DICOMweb root of that Orthanc (the plugin's "Root").</summary>
    public Uri DicomWebAddress => new(OrthancAddress, "dicom-web/");

    public static string SampleFolder => Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "data", "dicom", "pydicom"));

    public OrthancSample Sample(string fileName) => _samples[fileName];

    public async Task InitializeAsync()
    {
        var address = Environment.GetEnvironmentVariable(OrthancVariable);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new InvalidOperationException($"{OrthancVariable} is not set: run the tests with ./scripts/test.sh, which starts Orthanc (DICOMweb) on loopback.");
        }

        OrthancAddress = new Uri(address.TrimEnd('/') + "/");
        foreach (var file in SampleFiles)
        {
            var path = Path.Combine(SampleFolder, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"Sample file {file} not found under {SampleFolder}.", path);
            }

            var bytes = await File.ReadAllBytesAsync(path);
            var id = await UploadAsync(bytes, file);
            using var tags = JsonDocument.Parse(await _rest.GetStringAsync(new Uri(OrthancAddress, $"instances/{id}/simplified-tags")));
            string Tag(string name) => tags.RootElement.GetProperty(name).GetString()!;
            _samples[file] = new OrthancSample(file, bytes, Tag("StudyInstanceUID"), Tag("SeriesInstanceUID"), Tag("SOPInstanceUID"), Tag("PatientID"));
        }
    }

    public Task DisposeAsync()
    {
        _rest.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// POST /instances. Another file with the same SOP Instance UID may already be stored (several samples share UIDs):
    /// then that one is deleted and this one uploaded again, so the stored file is exactly this one.
    /// </summary>
    private async Task<string> UploadAsync(byte[] bytes, string file)
    {
        var (id, status) = await PostAsync(bytes, file);
        if (status == "AlreadyStored")
        {
            using var deleted = await _rest.DeleteAsync(new Uri(OrthancAddress, $"instances/{id}"));
            deleted.EnsureSuccessStatusCode();
            (id, status) = await PostAsync(bytes, file);
        }

        return status == "Success" ? id : throw new InvalidOperationException($"Orthanc stored {file} with status {status}.");
    }

    private async Task<(string Id, string? Status)> PostAsync(byte[] bytes, string file)
    {
        using var response = await _rest.PostAsync(new Uri(OrthancAddress, "instances"), new ByteArrayContent(bytes));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Orthanc refused {file}: {(int)response.StatusCode}.");
        }

        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (reply.GetProperty("ID").GetString()!, reply.GetProperty("Status").GetString());
    }
}
