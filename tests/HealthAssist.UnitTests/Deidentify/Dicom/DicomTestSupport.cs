using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HealthAssist.Dicom;
using HealthAssist.Dicom.IO;
using HealthAssist.Security;

namespace HealthAssist.UnitTests.Deidentify.Dicom;

/// <summary>The public samples in ../shared/data/dicom/pydicom (never copied into the repository) and fixed test secrets.</summary>
internal static class DicomSamples
{
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(Security.RolePermissionsTests.RepositoryRoot(), "..", "shared", "data", "dicom", "pydicom"));

    public static string FilePath(string name)
    {
        var path = System.IO.Path.Combine(Folder, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Sample {name} not found under {Folder}.", path);
    }

    public static DicomFile Read(string name) => DicomReader.ReadFile(FilePath(name));

    /// <summary>Every sample our reader accepts (malformed ones are the codec's robustness tests' business).</summary>
    public static IReadOnlyList<string> Readable() =>
        Directory.EnumerateFiles(Folder, "*.dcm")
            .Where(f =>
            {
                try
                {
                    DicomReader.ReadFile(f);
                    return true;
                }
                catch (DicomFormatException)
                {
                    return false;
                }
            })
            .Select(f => System.IO.Path.GetFileName(f))
            .Order(StringComparer.Ordinal)
            .ToList();
}

internal static class TestSecrets
{
    public static DeploymentSecret A { get; } = DeploymentSecret.FromBytes(SHA256.HashData("unit-tests/deid-dicom/a"u8));

    public static DeploymentSecret B { get; } = DeploymentSecret.FromBytes(SHA256.HashData("unit-tests/deid-dicom/b"u8));
}

/// <summary>Builds datasets element by element for synthetic instances.</summary>
internal sealed class DatasetBuilder
{
    private readonly DicomDataset _dataset;

    public DatasetBuilder(DicomDataset? parent = null) => _dataset = new DicomDataset(parent);

    public DatasetBuilder Text(ushort group, ushort element, DicomVR vr, string value)
    {
        _dataset.Set(DicomValueElement.FromText(new DicomTag(group, element), vr, value));
        return this;
    }

    public DatasetBuilder Bytes(ushort group, ushort element, DicomVR vr, byte[] value)
    {
        _dataset.Set(new DicomValueElement(new DicomTag(group, element), vr, value));
        return this;
    }

    public DatasetBuilder UInt16(ushort group, ushort element, params ushort[] values)
    {
        _dataset.Set(DicomValueElement.FromUInt16(new DicomTag(group, element), values));
        return this;
    }

    public DatasetBuilder Sequence(ushort group, ushort element, params Action<DatasetBuilder>[] items)
    {
        var built = items.Select(fill =>
        {
            var item = new DatasetBuilder(_dataset);
            fill(item);
            return item.Build();
        }).ToList();
        _dataset.Set(new DicomSequence(new DicomTag(group, element), built));
        return this;
    }

    /// <summary>A small 16-bit MONOCHROME2 image (pixel value = row * columns + column) with its Image Pixel module.</summary>
    public DatasetBuilder Image(int rows, int columns)
    {
        var pixels = new byte[rows * columns * 2];
        for (var i = 0; i < rows * columns; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(i * 2), (ushort)(i + 1));
        }

        return UInt16(0x0028, 0x0002, 1).Text(0x0028, 0x0004, DicomVR.CS, "MONOCHROME2")
            .UInt16(0x0028, 0x0010, (ushort)rows).UInt16(0x0028, 0x0011, (ushort)columns)
            .UInt16(0x0028, 0x0100, 16).UInt16(0x0028, 0x0101, 16).UInt16(0x0028, 0x0102, 15).UInt16(0x0028, 0x0103, 0)
            .Bytes(0x7FE0, 0x0010, DicomVR.OW, pixels);
    }

    public DicomDataset Build() => _dataset;

    public DicomFile BuildFile() => new(new DicomDataset(), _dataset, TransferSyntax.ExplicitVRLittleEndian, hadPreamble: true);
}

/// <summary>
/// A CT instance with a planted value (a canary) in every place identity hides: names, IDs, institution, physicians,
/// nested sequences, a private block, an overlay, a curve, a descriptor, dates.
/// </summary>
internal static class CanaryInstance
{
    public const string PatientId = "MRN-CANARY-884422";
    public const string Issuer = "urn:test:mrn";
    public const string StudyUid = "1.2.826.0.1.3680043.2.1125.111.1";
    public const string SeriesUid = "1.2.826.0.1.3680043.2.1125.111.2";
    public const string FrameOfReferenceUid = "1.2.826.0.1.3680043.2.1125.111.3";
    public const string UidPrefix = "1.2.826.0.1.3680043.2.1125.111";

    /// <summary>Values that must not appear anywhere in the output; name variants are added by <see cref="Leaks"/>.</summary>
    public static readonly string[] Canaries =
    [
        "canary", "Canaryman", "Jonathan", "Finchley", "Agatha", "Sparrowhawk", "Lionel", "Kestrel", "Wilhelmina",
        "MRN-CANARY-884422", "OTHER-CANARY-7731", "ACC-CANARY-5521", "Canary Valley General Hospital", "12 Canary Lane",
        "REQ-CANARY-3141", "SPS-CANARY-2718", "PRIVATE-CANARY-9090", "OVERLAY-CANARY-4242", "OVLDATA-CANARY", "CURVE-CANARY",
        "19510417", "20230105", "20230106", "20221228", "1951-04-17", UidPrefix, "555-867-5309",
    ];

    public static readonly string[] Names = ["Canaryman^Jonathan", "Finchley^Agatha", "Sparrowhawk^Lionel", "Kestrel^Wilhelmina"];

    public static DatasetBuilder Builder(string sopInstanceUid = UidPrefix + ".10", int rows = 4, int columns = 4) =>
        new DatasetBuilder()
            .Text(0x0008, 0x0005, DicomVR.CS, "ISO_IR 100")
            .Text(0x0008, 0x0008, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL")
            .Text(0x0008, 0x0012, DicomVR.DA, "20230106")
            .Text(0x0008, 0x0016, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
            .Text(0x0008, 0x0018, DicomVR.UI, sopInstanceUid)
            .Text(0x0008, 0x0020, DicomVR.DA, "20230105")
            .Text(0x0008, 0x0021, DicomVR.DA, "20230105")
            .Text(0x0008, 0x0022, DicomVR.DA, "20230105")
            .Text(0x0008, 0x0023, DicomVR.DA, "20230106")
            .Text(0x0008, 0x002A, DicomVR.DT, "20230105093015.123456+0100")
            .Text(0x0008, 0x0030, DicomVR.TM, "093000")
            .Text(0x0008, 0x0050, DicomVR.SH, "ACC-CANARY-5521")
            .Text(0x0008, 0x0060, DicomVR.CS, "CT")
            .Text(0x0008, 0x0070, DicomVR.LO, "ACME Medical")
            .Text(0x0008, 0x0080, DicomVR.LO, "Canary Valley General Hospital")
            .Text(0x0008, 0x0081, DicomVR.ST, "12 Canary Lane, Springfield")
            .Text(0x0008, 0x0090, DicomVR.PN, "Finchley^Agatha")
            .Text(0x0008, 0x1010, DicomVR.SH, "CT-CANARY-01")
            .Text(0x0008, 0x1030, DicomVR.LO, "CT chest for Jonathan Canaryman follow-up")
            .Text(0x0008, 0x103E, DicomVR.LO, "Axial 5mm Dr Finchley 555-867-5309")
            .Text(0x0008, 0x1050, DicomVR.PN, "Sparrowhawk^Lionel")
            .Text(0x0008, 0x1070, DicomVR.PN, "Kestrel^Wilhelmina")
            .Text(0x0008, 0x1090, DicomVR.LO, "Scanner 9000")
            .Sequence(0x0008, 0x1120, item => item
                .Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.3.1.2.1.1")
                .Text(0x0008, 0x1155, DicomVR.UI, UidPrefix + ".90")
                .Text(0x0010, 0x0010, DicomVR.PN, "Canaryman^Jonathan"))
            .Text(0x0009, 0x0010, DicomVR.LO, "ACME 1.0")
            .Text(0x0009, 0x1001, DicomVR.LO, "PRIVATE-CANARY-9090")
            .Text(0x0010, 0x0010, DicomVR.PN, "Canaryman^Jonathan")
            .Text(0x0010, 0x0020, DicomVR.LO, PatientId)
            .Text(0x0010, 0x0021, DicomVR.LO, Issuer)
            .Text(0x0010, 0x0030, DicomVR.DA, "19510417")
            .Text(0x0010, 0x0040, DicomVR.CS, "F")
            .Text(0x0010, 0x1000, DicomVR.LO, "OTHER-CANARY-7731")
            .Text(0x0010, 0x1010, DicomVR.AS, "071Y")
            .Text(0x0010, 0x1030, DicomVR.DS, "61.5")
            .Text(0x0010, 0x4000, DicomVR.LT, "Patient Canaryman, born 1951-04-17, call 555-867-5309")
            .Text(0x0018, 0x0050, DicomVR.DS, "5")
            .Text(0x0018, 0x1000, DicomVR.LO, "SN-CANARY-42")
            .Text(0x0018, 0x1030, DicomVR.LO, "Chest routine")
            .Text(0x0020, 0x000D, DicomVR.UI, StudyUid)
            .Text(0x0020, 0x000E, DicomVR.UI, SeriesUid)
            .Text(0x0020, 0x0010, DicomVR.SH, "STUDY-CANARY")
            .Text(0x0020, 0x0011, DicomVR.IS, "1")
            .Text(0x0020, 0x0013, DicomVR.IS, "1")
            .Text(0x0020, 0x0052, DicomVR.UI, FrameOfReferenceUid)
            .Text(0x0028, 0x0301, DicomVR.CS, "NO")
            .Sequence(0x0040, 0x0275, item => item
                .Text(0x0032, 0x1060, DicomVR.LO, "Chest CT for Canaryman")
                .Text(0x0040, 0x0002, DicomVR.DA, "20221228")
                .Text(0x0040, 0x0007, DicomVR.LO, "CT chest, ordered by Dr Finchley")
                .Text(0x0040, 0x0009, DicomVR.SH, "SPS-CANARY-2718")
                .Text(0x0040, 0x1001, DicomVR.SH, "REQ-CANARY-3141")
                .Sequence(0x0008, 0x1110, study => study
                    .Text(0x0008, 0x1150, DicomVR.UI, "1.2.840.10008.3.1.2.3.1")
                    .Text(0x0008, 0x1155, DicomVR.UI, StudyUid)))
            .Text(0x5000, 0x0005, DicomVR.US, "\u0001\u0000")
            .Bytes(0x5000, 0x3000, DicomVR.OB, Encoding.ASCII.GetBytes("CURVE-CANARY"))
            .UInt16(0x6000, 0x0010, (ushort)rows).UInt16(0x6000, 0x0011, (ushort)columns)
            .Text(0x6000, 0x0022, DicomVR.LO, "OVERLAY-CANARY-4242")
            .Text(0x6000, 0x0040, DicomVR.CS, "G")
            .Bytes(0x6000, 0x0050, DicomVR.SS, [1, 0, 1, 0])
            .UInt16(0x6000, 0x0100, 1).UInt16(0x6000, 0x0102, 0)
            .Bytes(0x6000, 0x3000, DicomVR.OW, Encoding.ASCII.GetBytes("OVLDATA-CANARY.."))
            .Text(0x6000, 0x4000, DicomVR.LT, "Overlay by Kestrel")
            .Image(rows, columns);

    public static DicomFile File(string sopInstanceUid = UidPrefix + ".10") => Builder(sopInstanceUid).BuildFile();
}

/// <summary>Searches bytes for planted values, as Latin-1 and as UTF-8, case-insensitively, with person-name variants.</summary>
internal static class Leaks
{
    public static IReadOnlyList<string> Find(byte[] bytes, IEnumerable<string> canaries, IEnumerable<string>? personNames = null)
    {
        var texts = new[] { Encoding.Latin1.GetString(bytes), Encoding.UTF8.GetString(bytes) };
        var needles = new HashSet<string>(canaries, StringComparer.OrdinalIgnoreCase);
        foreach (var name in personNames ?? [])
        {
            var parts = name.Split('^', StringSplitOptions.RemoveEmptyEntries);
            needles.Add(name);
            needles.Add(string.Join('^', parts.Reverse()));
            needles.Add(string.Join(' ', parts));
            needles.Add(string.Join(' ', parts.Reverse()));
            needles.Add(string.Join(", ", parts));
            foreach (var part in parts.Where(p => p.Length >= 3))
            {
                needles.Add(part);
            }
        }

        return needles.Where(n => n.Length > 0 && texts.Any(t => t.Contains(n, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>The independent oracles: dcmtk, dicom3tools and pydicom (installed by scripts/test.sh).</summary>
internal static class DicomTools
{
    public static (int ExitCode, string Output, string Error) Run(string tool, params string[] args) => ExternalTool.Run(tool, args);

    /// <summary>dciodvfy's error lines (warnings ignored), with UID values written as # so that an error about an
    /// attribute compares equal before and after its UID was replaced.</summary>
    public static HashSet<string> DciodvfyErrors(string path)
    {
        var (_, output, error) = Run("dciodvfy", path);
        return (output + "\n" + error).Split('\n')
            .Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l.Trim(), @"(UID\s+|<)[0-9.]+", "$1#", RegexOptions.None, TimeSpan.FromSeconds(1)))
            .ToHashSet();
    }

    /// <summary>Whether dciodvfy gave up reading the file, so that its error list says nothing about the later modules.</summary>
    public static bool ReadWasAbandoned(IEnumerable<string> errors) =>
        errors.Any(e => e.Contains("Tags out of order", StringComparison.Ordinal) || e.Contains("read failed", StringComparison.Ordinal));

    public const string PydicomRead = "import pydicom,sys\nds = pydicom.dcmread(sys.argv[1])\nfor e in ds.iterall():\n    e.value\n";
}
