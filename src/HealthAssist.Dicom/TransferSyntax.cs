namespace HealthAssist.Dicom;

/// <summary>How a dataset is encoded (PS3.5 section 10 and annex A).</summary>
public sealed class TransferSyntax
{
    private static readonly Dictionary<string, TransferSyntax> Known = new(StringComparer.Ordinal);

    public static readonly TransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", explicitVR: false);
    public static readonly TransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian");
    public static readonly TransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", deflated: true);
    public static readonly TransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", littleEndian: false);
    public static readonly TransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", encapsulated: true);
    public static readonly TransferSyntax JPEGBaseline8Bit = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", encapsulated: true, lossy: true);
    public static readonly TransferSyntax JPEGExtended12Bit = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", encapsulated: true, lossy: true);
    public static readonly TransferSyntax JPEGLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", encapsulated: true);
    public static readonly TransferSyntax JPEGLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", encapsulated: true);
    public static readonly TransferSyntax JPEGLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", encapsulated: true);
    public static readonly TransferSyntax JPEGLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", encapsulated: true, lossy: true);
    public static readonly TransferSyntax JPEG2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", encapsulated: true);
    public static readonly TransferSyntax JPEG2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", encapsulated: true, lossy: true);
    public static readonly TransferSyntax HTJ2KLossless = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", encapsulated: true);
    public static readonly TransferSyntax HTJ2KLosslessRPCL = new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", encapsulated: true);
    public static readonly TransferSyntax HTJ2K = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", encapsulated: true, lossy: true);

    private TransferSyntax(string uid, string name, bool explicitVR = true, bool littleEndian = true, bool deflated = false, bool encapsulated = false, bool lossy = false, bool register = true)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsLittleEndian = littleEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
        if (register)
        {
            Known[uid] = this;
        }
    }

    public string Uid { get; }

    public string Name { get; }

    public bool IsExplicitVR { get; }

    public bool IsLittleEndian { get; }

    public bool IsDeflated { get; }

    /// <summary>Pixel data is a sequence of compressed fragments.</summary>
    public bool IsEncapsulated { get; }

    public bool IsLossy { get; }

    /// <summary>False for a UID this library does not know (it is then read as an encapsulated explicit VR little endian syntax, as PS3.5 requires of compressed ones).</summary>
    public bool IsKnown => Known.ContainsKey(Uid) && ReferenceEquals(Known[Uid], this);

    public static TransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var trimmed = uid.TrimEnd('\0', ' ');
        return Known.TryGetValue(trimmed, out var known)
            ? known
            : new TransferSyntax(trimmed, "Unknown transfer syntax " + trimmed, encapsulated: true, register: false);
    }

    public override string ToString() => $"{Name} ({Uid})";
}
