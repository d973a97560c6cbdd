using System.CommandLine;
using System.Globalization;
using System.Text;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Dicom.Json;

namespace HealthAssist.Cli.Commands;

/// <summary><c>healthassist dicom dump FILE [--json]</c>.</summary>
internal static class DicomCommands
{
    public static Command Create(CliContext context)
    {
        var dicom = new Command("dicom", "Read DICOM files with HealthAssist's managed codec");
        var file = new Argument<FileInfo>("FILE") { Description = "A DICOM Part 10 file (or a bare dataset)" };
        var dump = new Command("dump", "Print the dataset: a readable listing, or the DICOM JSON model (PS3.18 F.2) with --json") { file };
        dump.SetAction(async (result, _) =>
        {
            var path = result.GetRequiredValue(file);
            if (!path.Exists)
            {
                throw new UsageException($"{path.FullName}: no such file");
            }

            DicomFile parsed;
            try
            {
                parsed = DicomReader.ReadFile(path.FullName);
            }
            catch (DicomFormatException ex)
            {
                throw new UsageException($"{path.Name}: {ex.Message}");
            }

            await context.Out.WriteLineAsync(CliContext.Json(result) ? DicomJsonWriter.Serialize(parsed.Dataset, indented: true) : Listing(parsed));
            return ExitCodes.Success;
        });
        dicom.Subcommands.Add(dump);
        return dicom;
    }

    private static string Listing(DicomFile file)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {file.TransferSyntax}{(file.HadPreamble ? string.Empty : ", no preamble")}");
        Append(text, file.FileMetaInformation, 0);
        Append(text, file.Dataset, 0);
        return text.ToString().TrimEnd();
    }

    private static void Append(StringBuilder text, DicomDataset dataset, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var element in dataset)
        {
            var name = DicomDictionary.TryGet(element.Tag, out var entry) ? entry.Name : element.Tag.IsPrivate ? "Private" : "Unknown";
            var summary = element switch
            {
                DicomSequence sequence => $"{sequence.Items.Count} item(s)",
                DicomFragmentSequence fragments => $"{fragments.Fragments.Count} fragment(s), offset table {fragments.BasicOffsetTable.Length} bytes",
                DicomValueElement { VR.Kind: VRKind.Text } value => "[" + Shorten(value.GetText(dataset.CharacterSet)) + "]",
                DicomValueElement { VR: var vr } value when vr == DicomVR.AT => string.Join('\\', value.GetTags()),
                DicomValueElement { VR.Kind: VRKind.Binary, VR.HasLongExplicitLength: false } value =>
                    string.Join('\\', value.GetNumbers().Take(16).Select(n => n.ToString(CultureInfo.InvariantCulture))),
                DicomValueElement value => $"({value.Data.Length} bytes)",
                _ => string.Empty,
            };
            text.AppendLine(CultureInfo.InvariantCulture, $"{indent}{element.Tag} {element.VR} {name,-40} {summary}");
            if (element is DicomSequence items)
            {
                foreach (var item in items.Items)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{indent}  > item");
                    Append(text, item, depth + 2);
                }
            }
        }
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..61] + "...";
}
