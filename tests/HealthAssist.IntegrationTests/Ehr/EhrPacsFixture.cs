using System.Net.Http.Json;
using System.Text.Json;
using HealthAssist.IntegrationTests.DicomWeb;

namespace HealthAssist.IntegrationTests.Ehr;

/// <summary>
/// The Orthanc (DICOMweb) that scripts/test.sh starts, as <see cref="OrthancFixture"/> finds it
/// (<c>HEALTHASSIST_TEST_ORTHANC</c>). A test asks for it with <see cref="UploadAsync"/>, which stores a patient's
/// synthetic radiograph through Orthanc's own REST API; only those tests need Orthanc, and for them an unset variable
/// is a failure, never a skip.
/// </summary>
public sealed class EhrPacsFixture : IDisposable
{
    private readonly HttpClient _rest = new();
    private Uri? _orthancAddress;

    /// <summary>The DICOMweb root of that Orthanc.</summary>
    public Uri DicomWebAddress => new(OrthancAddress, "dicom-web/");

    private Uri OrthancAddress => _orthancAddress ??= FindOrthanc();

    private static Uri FindOrthanc()
    {
        var address = Environment.GetEnvironmentVariable(OrthancFixture.OrthancVariable);
        return string.IsNullOrWhiteSpace(address)
            ? throw new InvalidOperationException($"{OrthancFixture.OrthancVariable} is not set: run the tests with ./scripts/test.sh, which starts Orthanc (DICOMweb) on loopback.")
            : new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>Stores the patient's radiograph in Orthanc and returns the file's bytes.</summary>
    public async Task<byte[]> UploadAsync(EhrTestPatient patient)
    {
        var bytes = patient.RadiographFile();
        using var response = await _rest.PostAsync(new Uri(OrthancAddress, "instances"), new ByteArrayContent(bytes));
        response.EnsureSuccessStatusCode();
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Success", reply.GetProperty("Status").GetString());
        return bytes;
    }

    public void Dispose() => _rest.Dispose();
}
