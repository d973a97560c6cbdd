using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HealthAssist.Dicom.Imaging;
using HealthAssist.Dicom.IO;
using Xunit.Abstractions;

namespace HealthAssist.Dicom.Tests.Imaging;

/// <summary>
/// Decoded pixels against pydicom (numpy for native and RLE, GDCM for the JPEG family): exact for lossless syntaxes,
/// the largest absolute difference reported for lossy ones.
/// </summary>
public sealed class PixelOracleTests(ITestOutputHelper output)
{
    /// <summary>Files where pydicom's pixels are not the reference, with why (a third tool decides).</summary>
    private static readonly Dictionary<string, string> PydicomIsNotTheReference = new()
    {
        ["SC_rgb_small_odd_big_endian.dcm"] = "8-bit RGB in OW, big endian: pydicom byte-swaps the samples; dcmdump shows the same OW words as the little endian twin SC_rgb_small_odd.dcm, and we decode both alike (see BigEndianEightBitOW_DecodesLikeItsLittleEndianTwin)",
    };

    /// <summary>Files we refuse to decode, with why.</summary>
    private static readonly Dictionary<string, string> RefusedOnPurpose = new()
    {
        ["JPEG2000-embedded-sequence-delimiter.dcm"] = "the JPEG 2000 codestream is damaged (4 bytes replaced by a sequence delimiter): GDCM (gdcmconv) refuses the original file too",
    };

    [Fact]
    public void BigEndianEightBitOW_DecodesLikeItsLittleEndianTwin()
    {
        var big = new PixelData(DicomReader.ReadFile(SampleData.File("pydicom/SC_rgb_small_odd_big_endian.dcm")));
        var little = new PixelData(DicomReader.ReadFile(SampleData.File("pydicom/SC_rgb_small_odd.dcm")));

        Assert.Equal(little.GetFrame(0), big.GetFrame(0));
    }

    [Fact]
    public void DecodedPixels_AgreeWithPydicomForEverySupportedFile()
    {
        var files = SampleData.AllDicomFiles();
        var folder = Directory.CreateTempSubdirectory("ha-pixels-");
        try
        {
            var oracle = RunOracle(folder.FullName, files);
            var failures = new List<string>();
            int exact = 0, lossy = 0, skipped = 0;
            foreach (var (file, answer) in oracle)
            {
                var name = Path.GetFileName(file);
                if (!answer.GetProperty("ok").GetBoolean())
                {
                    skipped++;
                    continue;
                }

                double[] ours;
                DicomFile parsed;
                try
                {
                    parsed = DicomReader.ReadFile(file);
                    var pixels = new PixelData(parsed);
                    ours = Enumerable.Range(0, pixels.FrameCount).SelectMany(i => Samples(pixels.GetFrame(i), pixels.Info)).ToArray();
                }
                catch (DicomFormatException ex)
                {
                    if (RefusedOnPurpose.TryGetValue(name, out var why))
                    {
                        output.WriteLine($"{name}: refused on purpose ({ex.Message}): {why}");
                    }
                    else
                    {
                        failures.Add($"{name}: pydicom decodes it, we do not: {ex.Message}");
                    }

                    continue;
                }

                var bytes = File.ReadAllBytes(answer.GetProperty("raw").GetString()!);
                var theirs = new double[bytes.Length / 8];
                for (var i = 0; i < theirs.Length; i++)
                {
                    theirs[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8));
                }

                if (ours.Length != theirs.Length)
                {
                    failures.Add($"{name}: {ours.Length} samples vs pydicom's {theirs.Length}");
                    continue;
                }

                var maxDifference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).DefaultIfEmpty(0).Max();
                if (parsed.TransferSyntax.IsLossy)
                {
                    lossy++;
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} ({parsed.TransferSyntax.Name}): max |difference| {maxDifference}"));
                }
                else if (maxDifference != 0 && PydicomIsNotTheReference.TryGetValue(name, out var reason))
                {
                    output.WriteLine($"{name}: differs from pydicom by up to {maxDifference}: {reason}");
                }
                else if (maxDifference != 0)
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} ({parsed.TransferSyntax.Name}): lossless but differs by up to {maxDifference}"));
                }
                else
                {
                    exact++;
                }
            }

            output.WriteLine($"pixels: {exact} files exact, {lossy} lossy compared, {skipped} without decodable pixel data in pydicom");
            Assert.True(failures.Count == 0, string.Join('\n', failures));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Stored sample values as pydicom reports them: masked to Bits Stored, sign-extended when signed.</summary>
    internal static IEnumerable<double> Samples(byte[] frame, PixelDataInfo info)
    {
        var size = info.BitsAllocated == 1 ? 1 : info.BytesPerSample;
        for (var i = 0; i + size <= frame.Length; i += size)
        {
            long raw = size switch
            {
                1 => frame[i],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(i)),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(i)),
                _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(frame.AsSpan(i)),
            };
            if (info.IsSigned && info.BitsAllocated > 1)
            {
                var shift = 64 - info.BitsStored;
                raw = (raw << shift) >> shift;
            }

            yield return raw;
        }
    }

    private static List<(string File, JsonElement Answer)> RunOracle(string folder, IReadOnlyList<string> files)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(SampleData.RepositoryRoot, "tests", "oracles", "pydicom_pixels.py"));
        start.ArgumentList.Add(folder);
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pixel oracle did not finish in 3 minutes");
        }

        Assert.True(process.ExitCode == 0, $"pixel oracle failed (python3-pydicom, python3-numpy, python3-gdcm: ./scripts/test.sh installs them): {stderr.Result}");
        return stdout.Result.Split('\n').Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Select(e => (e.GetProperty("file").GetString()!, e))
            .ToList();
    }
}
