using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Dicom;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Dicom.IO;
using HealthAssist.Dicom.Json;

namespace HealthAssist.Cli.Commands;

/// <summary>
/// <c>healthassist bench dicom</c>: parse throughput over a corpus beside pydicom on the same files (same run), and the
/// latency of turning a 2048×2048 16-bit radiograph into a 224×224 model tensor (p50, p99).
/// </summary>
internal static class DicomBench
{
    public static Command Create(CliContext context)
    {
        var corpus = new Option<DirectoryInfo?>("--corpus") { Description = "Folder of DICOM files (default: ../shared/data/dicom beside the repository)" };
        var rounds = new Option<int>("--rounds") { Description = "Passes over the corpus", DefaultValueFactory = _ => 20 };
        var iterations = new Option<int>("--iterations") { Description = "Radiograph preprocessing runs", DefaultValueFactory = _ => 200 };
        var command = new Command("dicom", "DICOM parse throughput vs pydicom, radiograph preprocessing latency") { corpus, rounds, iterations };
        command.SetAction((result, _) => RunAsync(context, result.GetValue(corpus), result.GetValue(rounds), result.GetValue(iterations)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, DirectoryInfo? corpus, int rounds, int iterations)
    {
        var folder = corpus?.FullName ?? FindSharedCorpus();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var blobs = files.Select(File.ReadAllBytes).Where(Readable).ToList();
        var bytes = blobs.Sum(b => (long)b.Length);
        var o = context.Out;
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"corpus: {blobs.Count} readable files, {bytes / 1024.0:F0} KiB, {rounds} rounds; {Environment.ProcessorCount} cores, one thread"));
        await o.WriteLineAsync($"{"measurement",-52} {"files/s",10} {"MB/s",8}");

        var parse = Time(() => { foreach (var blob in blobs) { _ = DicomReader.Read(blob); } }, rounds);
        var full = Time(() => { foreach (var blob in blobs) { _ = DicomJsonWriter.Serialize(DicomReader.Read(blob).Dataset); } }, rounds);
        await Row(o, "HealthAssist: parse (pixel data read)", blobs.Count * rounds, bytes * rounds, parse);
        await Row(o, "HealthAssist: parse + every value decoded (DICOM JSON)", blobs.Count * rounds, bytes * rounds, full);

        var baseline = PydicomBaseline(files, rounds);
        if (baseline is { } b)
        {
            await Row(o, "pydicom: dcmread (pixel data read)", b.Files * rounds, b.Bytes * rounds, TimeSpan.FromSeconds(b.Parse));
            await Row(o, "pydicom: dcmread + to_json_dict", b.Files * rounds, b.Bytes * rounds, TimeSpan.FromSeconds(b.Full));
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"speed-up: parse {b.Parse / parse.TotalSeconds * ((double)blobs.Count / b.Files):F1}x, with values {b.Full / full.TotalSeconds * ((double)blobs.Count / b.Files):F1}x"));
        }
        else
        {
            await o.WriteLineAsync("pydicom baseline unavailable (install python3-pydicom)");
        }

        var radiograph = Radiograph(2048, 2048);
        var pixels = new PixelData(radiograph);
        var options = new PreprocessingOptions();
        var copyOnly = new List<double>();
        var samples = new List<double>();
        for (var i = 0; i < iterations + 10; i++)
        {
            var watch = Stopwatch.StartNew();
            _ = pixels.GetFrame(0);
            var copy = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            _ = ImagePreprocessor.Process(pixels, 0, options, radiograph.Dataset);
            var full2 = watch.Elapsed.TotalMilliseconds;
            if (i >= 10)
            {
                copyOnly.Add(copy);
                samples.Add(full2);
            }
        }

        await o.WriteLineAsync($"{"2048x2048 16-bit radiograph",-52} {"p50 ms",10} {"p99 ms",8}");
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"baseline: frame extraction only",-52} {BenchTiming.Percentile(copyOnly, 50),10:F2} {BenchTiming.Percentile(copyOnly, 99),8:F2}"));
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"to 224x224 tensor (LUT, window, area resize, PNG)",-52} {BenchTiming.Percentile(samples, 50),10:F2} {BenchTiming.Percentile(samples, 99),8:F2}"));
        return ExitCodes.Success;
    }

    private static bool Readable(byte[] blob)
    {
        try
        {
            _ = DicomJsonWriter.Serialize(DicomReader.Read(blob).Dataset);
            return true;
        }
        catch (DicomFormatException)
        {
            return false;
        }
    }

    private static TimeSpan Time(Action action, int rounds)
    {
        action(); // warm-up
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++)
        {
            action();
        }

        return watch.Elapsed;
    }

    private static Task Row(TextWriter o, string name, long files, long bytes, TimeSpan elapsed) =>
        o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name,-52} {files / elapsed.TotalSeconds,10:F0} {bytes / 1e6 / elapsed.TotalSeconds,8:F1}"));

    private sealed record PydicomResult(int Files, long Bytes, double Parse, double Full);

    private static PydicomResult? PydicomBaseline(IReadOnlyList<string> files, int rounds)
    {
        var script = Path.Combine(FindRepositoryRoot(), "scripts", "bench", "pydicom_parse.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(rounds.ToString(CultureInfo.InvariantCulture));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)) || process.ExitCode != 0)
            {
                return null;
            }

            using var json = JsonDocument.Parse(output.Result.Trim().Split('\n')[^1]);
            var root = json.RootElement;
            return new PydicomResult(root.GetProperty("files").GetInt32(), root.GetProperty("bytes").GetInt64(), root.GetProperty("parse").GetDouble(), root.GetProperty("full").GetDouble());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>A synthetic 16-bit chest radiograph (smooth anatomy-like gradients, 12 bits stored, windowed).</summary>
    internal static DicomFile Radiograph(int rows, int columns)
    {
        var dataset = new DicomDataset();
        void Us(ushort element, ushort value) => dataset.Set(DicomValueElement.FromUInt16(new DicomTag(0x0028, element), value));
        dataset.Set(DicomValueElement.FromText(new DicomTag(0x0008, 0x0060), DicomVR.CS, "DX"));
        Us(0x0002, 1);
        dataset.Set(DicomValueElement.FromText(new DicomTag(0x0028, 0x0004), DicomVR.CS, "MONOCHROME2"));
        Us(0x0010, (ushort)rows);
        Us(0x0011, (ushort)columns);
        Us(0x0100, 16);
        Us(0x0101, 12);
        Us(0x0102, 11);
        Us(0x0103, 0);
        dataset.Set(DicomValueElement.FromText(new DicomTag(0x0028, 0x1050), DicomVR.DS, "2048"));
        dataset.Set(DicomValueElement.FromText(new DicomTag(0x0028, 0x1051), DicomVR.DS, "4096"));
        var pixels = new byte[rows * columns * 2];
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                var value = (ushort)(2048 + (1500 * Math.Sin(x / 97.0) * Math.Cos(y / 131.0)) + ((x * 7) ^ (y * 3)) % 50);
                BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(((y * columns) + x) * 2), value);
            }
        }

        dataset.Set(new DicomValueElement(DicomTag.PixelData, DicomVR.OW, pixels));
        return new DicomFile(new DicomDataset(), dataset, TransferSyntax.ExplicitVRLittleEndian, hadPreamble: true);
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HealthAssist.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new UsageException("Run bench dicom from the repository (HealthAssist.sln not found) or pass --corpus.");
    }

    private static string FindSharedCorpus()
    {
        var folder = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "data", "dicom"));
        return Directory.Exists(folder) ? folder : throw new UsageException($"{folder} not found; pass --corpus DIR.");
    }
}
