namespace HealthAssist.DicomWeb;

/// <summary>A DICOMweb request's URL without its UIDs or query values: <see cref="Template"/> relative to the base, <see cref="Url"/> absolute.</summary>
public sealed record DicomWebRoute(string Template, string Url);
