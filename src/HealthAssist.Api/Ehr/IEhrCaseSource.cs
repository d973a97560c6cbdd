using HealthAssist.Deidentify;

namespace HealthAssist.Api.Ehr;

/// <summary>
/// A case pulled from the EHR and the PACS, and what could not be pulled. Warnings name inputs by label ("image 2",
/// "heart sound 1") and say why ("timeout", "not found"); they never carry identifiers or URLs.
/// </summary>
public sealed record PulledCase(CaseInputs Inputs, IReadOnlyList<string> Warnings);

/// <summary>
/// Pull mode: fetches a patient's case on demand, for <c>POST /fhir/Patient/{id}/$assess</c> and for CDS Hooks calls
/// whose prefetch is missing. The record is required (its failure is an exception); each image and recording is
/// optional (its failure is a warning and the case goes on without it).
/// </summary>
public interface IEhrCaseSource
{
    /// <summary>The record (a Bundle of type collection), the radiographs and the auscultation recordings.</summary>
    /// <exception cref="EhrPatientNotFoundException">The EHR has no such patient.</exception>
    /// <exception cref="EhrUnavailableException">The EHR did not give the record after the retries.</exception>
    /// <exception cref="EhrNotConfiguredException">Pull mode is not configured.</exception>
    /// <exception cref="InvalidInputException"><paramref name="patientId"/> is not a FHIR id.</exception>
    Task<PulledCase> PullAsync(string patientId, DateTimeOffset indexTime, CancellationToken cancellationToken);

    /// <summary>The record only, as the JSON of a FHIR Bundle of type collection holding the Patient first.</summary>
    /// <exception cref="EhrPatientNotFoundException">The EHR has no such patient.</exception>
    /// <exception cref="EhrUnavailableException">The EHR did not give the record after the retries.</exception>
    /// <exception cref="EhrNotConfiguredException">Pull mode is not configured.</exception>
    /// <exception cref="InvalidInputException"><paramref name="patientId"/> is not a FHIR id.</exception>
    Task<string> PullRecordAsync(string patientId, CancellationToken cancellationToken);
}

/// <summary>The source when <c>Ehr:FhirBaseUrl</c> is not set: every pull is refused with <see cref="EhrNotConfiguredException"/>.</summary>
internal sealed class UnconfiguredEhrCaseSource : IEhrCaseSource
{
    public Task<PulledCase> PullAsync(string patientId, DateTimeOffset indexTime, CancellationToken cancellationToken) =>
        Task.FromException<PulledCase>(new EhrNotConfiguredException());

    public Task<string> PullRecordAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromException<string>(new EhrNotConfiguredException());
}
