using System.Diagnostics;
using HealthAssist.Dicom.IO;

namespace HealthAssist.Dicom.Imaging;

/// <summary>
/// Decodes JPEG, JPEG-LS and JPEG 2000 pixel data with GDCM's <c>gdcmconv --raw</c> (Debian libgdcm-tools) in a child
/// process with a time limit: native codec bugs on a malformed codestream then kill at most that process, never the
/// server. Only our own managed parser reads the untrusted input first; GDCM gets a file we rewrote.
/// </summary>
public sealed class GdcmDecoder(string executable = "gdcmconv", TimeSpan? timeout = null)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(30);

    public static GdcmDecoder Default { get; } = new();

    /// <summary>Returns the file transcoded to explicit VR little endian with native pixel data.</summary>
    public DicomFile Decompress(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var folder = Directory.CreateTempSubdirectory("healthassist-gdcm-");
        try
        {
            var input = Path.Combine(folder.FullName, "in.dcm");
            var output = Path.Combine(folder.FullName, "out.dcm");
            DicomWriter.WriteFile(input, file);

            var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--raw");
            start.ArgumentList.Add(input);
            start.ArgumentList.Add(output);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new DicomFormatException($"Could not start {executable}", 0, DicomTag.PixelData);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new DicomFormatException($"{file.TransferSyntax.Name} needs GDCM ({executable}), which is not installed", 0, DicomTag.PixelData, ex);
            }

            using (process)
            {
                // Drain both streams so a chatty decoder cannot block on a full pipe.
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(_timeout))
                {
                    process.Kill(entireProcessTree: true);
                    throw new DicomFormatException($"Decoding {file.TransferSyntax.Name} pixel data took longer than {_timeout.TotalSeconds:F0} s", 0, DicomTag.PixelData);
                }

                _ = stdout.Result;
                _ = stderr.Result;
                if (process.ExitCode != 0 || !File.Exists(output))
                {
                    throw new DicomFormatException($"{file.TransferSyntax.Name} pixel data could not be decoded (gdcmconv exit code {process.ExitCode})", 0, DicomTag.PixelData);
                }
            }

            return DicomReader.ReadFile(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
