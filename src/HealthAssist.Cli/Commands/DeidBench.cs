using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HealthAssist.Deidentify.Dicom;
using HealthAssist.Deidentify.Fhir;
using HealthAssist.Dicom.IO;
using HealthAssist.Dicom;
using HealthAssist.Encode.Registry;
using HealthAssist.Security;
using Hl7.Fhir.Serialization;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist bench deid</c>: FHIR resources/s and DICOM files/s through de-identification, one thread.</summary>
internal static class DeidBench
{
    public static Command Create(CliContext context)
    {
        var seconds = new Option<double>("--seconds") { Description = "Time per measurement", DefaultValueFactory = _ => 3 };
        var command = new Command("deid", "De-identification throughput (targets: 2,000 FHIR resources/s, 200 DICOM files/s per core)") { seconds };
        command.SetAction(async (result, cancellationToken) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var budget = TimeSpan.FromSeconds(result.GetValue(seconds));
            var secret = DeploymentSecret.Generate();
            var profile = FhirDeidentificationProfile.Load(
                Path.Combine(ModelDirectory.Locate(context.Environment.Configuration["Models:Path"]), "deid", "fhir-profile.v1.json"));
            var fhir = new FhirDeidentifier(profile, secret);
            var bundle = new FhirJsonSerializer().SerializeToString(FhirBench.SyntheticBundle(500, new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero)));
            var (resources, fhirRate) = Rate(budget, () => fhir.Deidentify(bundle).Report.ResourcesIn);

            var dicom = new DicomDeidentifier(secret);
            var radiograph = DicomBench.Radiograph(1024, 1024);
            radiograph.Dataset.Set(DicomValueElement.FromText(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Canary^Zaphod"));
            radiograph.Dataset.Set(DicomValueElement.FromText(new DicomTag(0x0010, 0x0020), DicomVR.LO, "MRN-4711"));
            radiograph.Dataset.Set(DicomValueElement.FromText(new DicomTag(0x0008, 0x0020), DicomVR.DA, "20260310"));
            radiograph.Dataset.Set(DicomValueElement.FromText(new DicomTag(0x0008, 0x0018), DicomVR.UI, "1.2.3.4.5.6.7.8.9"));
            var bytes = DicomWriter.Write(radiograph);
            var (_, headerRate) = Rate(budget, () => { _ = dicom.Deidentify(DicomReader.Read(bytes, new DicomReaderOptions { StopBeforePixelData = true })); return 1; });
            var (_, fullRate) = Rate(budget, () => { _ = DicomWriter.Write(dicom.Deidentify(DicomReader.Read(bytes)).File!); return 1; });
            var (_, parseRate) = Rate(budget, () => { _ = DicomWriter.Write(DicomReader.Read(bytes)); return 1; });

            var o = context.Out;
            await o.WriteLineAsync($"{"measurement",-62} {"per second",12}");
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"FHIR resources (500-resource Bundle)",-62} {fhirRate * resources,12:F0}"));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"DICOM files, header only (read + de-identify)",-62} {headerRate,12:F0}"));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"DICOM files, 1024² 16-bit (read + de-identify + write)",-62} {fullRate,12:F0}"));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"baseline: DICOM files, 1024² 16-bit (read + write only)",-62} {parseRate,12:F0}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static (int PerRun, double RunsPerSecond) Rate(TimeSpan budget, Func<int> run)
    {
        var perRun = run(); // warm-up
        var watch = Stopwatch.StartNew();
        var runs = 0;
        while (watch.Elapsed < budget)
        {
            run();
            runs++;
        }

        return (perRun, runs / watch.Elapsed.TotalSeconds);
    }
}
