namespace HealthAssist.Synthesis;

/// <summary>One identifier the generator wrote somewhere, so leak tests can look for it (phi-truth.json).</summary>
/// <param name="Type">HIPAA Safe Harbor category, e.g. name, mrn, date, address, phone, email, institution, age-over-89.</param>
/// <param name="Value">The exact text planted.</param>
/// <param name="Where">The file and place, e.g. "dicom/c0001.dcm (0010,0010)" or "audio/c0001-heart.wav LIST/INAM".</param>
public sealed record PlantedPhi(string Type, string Value, string Where);
