using System.Security.Cryptography;
using HealthAssist.Deidentify;
using HealthAssist.Deidentify.Notes;
using HealthAssist.Security;

namespace HealthAssist.UnitTests.Deidentify.Notes;

internal static class NoteTestSupport
{
    public static DeploymentSecret Secret { get; } = DeploymentSecret.FromBytes(SHA256.HashData("unit-tests/deid-notes/a"u8));

    public static DeploymentSecret OtherSecret { get; } = DeploymentSecret.FromBytes(SHA256.HashData("unit-tests/deid-notes/b"u8));

    public static NoteDeidentifier Deidentifier { get; } = new(Secret);

    public static PatientKeys Keys(string patientId) => PatientKeys.Derive(Secret, "http://hospital.example.org/mrn", patientId);

    public static PatientKeys PatientA { get; } = Keys("MRN-A-1001");

    public static PatientKeys PatientB { get; } = Keys("MRN-B-2002");
}
